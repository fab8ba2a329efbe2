// Shared by tools/export-artifact and tools/check-artifact: builds the contract with forge
// and turns forge's output into the artifact that the C code embeds.

'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const FORGE = path.join(ROOT, 'node_modules', '.bin', 'forge');
const CONTRACT = 'BafokaCommunity';
const ARTIFACT = path.join(ROOT, 'artifacts', `${CONTRACT}.json`);

function forgeInstalled() {
  return fs.existsSync(FORGE);
}

/// Builds src/ (tests and scripts skipped: they do not change the contract's code) into
/// `outDir`, with its own cache so that the build starts from nothing when asked to.
function build(outDir, cacheDir) {
  const args = ['build', '--skip', 'test', '--skip', 'script', '--out', outDir];
  if (cacheDir) args.push('--cache-path', cacheDir);
  const run = spawnSync(FORGE, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.error) throw new Error(`cannot run forge: ${run.error.message}`);
  if (run.status !== 0) {
    throw new Error(`forge build failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
}

/// The artifact, with a fixed key order, from forge's JSON for the contract.
function artifactFrom(outDir) {
  const file = path.join(outDir, `${CONTRACT}.sol`, `${CONTRACT}.json`);
  const forgeJson = JSON.parse(fs.readFileSync(file, 'utf8'));
  const metadata = typeof forgeJson.rawMetadata === 'string'
    ? JSON.parse(forgeJson.rawMetadata)
    : forgeJson.metadata;
  if (!metadata || !metadata.compiler || !metadata.compiler.version) {
    throw new Error(`${file}: no compiler version in the metadata`);
  }
  const bytecode = forgeJson.bytecode && forgeJson.bytecode.object;
  const deployed = forgeJson.deployedBytecode && forgeJson.deployedBytecode.object;
  if (!/^0x[0-9a-f]+$/.test(bytecode || '') || !/^0x[0-9a-f]+$/.test(deployed || '')) {
    throw new Error(`${file}: bytecode missing or not plain hex (unlinked library?)`);
  }
  return {
    contractName: CONTRACT,
    abi: forgeJson.abi,
    bytecode,
    deployedBytecode: deployed,
    compiler: metadata.compiler.version,
  };
}

function serialize(artifact) {
  return JSON.stringify(artifact, null, 2) + '\n';
}

module.exports = { ROOT, FORGE, CONTRACT, ARTIFACT, forgeInstalled, build, artifactFrom, serialize };
