// ethers-register.mjs: the comparison point of the submission benchmark.
// Registers N members the way a typical ethers v6 program does, one
// `await contract.registerMember(...)` after the other, and prints
// {"count": N, "seconds": S, "tx_per_s": R, "mode": M} as JSON.
//
//   node ethers-register.mjs RPC_URL CONTRACT PRIVATE_KEY N [MODE]
//
// The plainest program (a Wallet, a JsonRpcProvider with its defaults) does
// not work back to back: the Wallet asks the node for the pending nonce
// before each transaction, and the provider answers an identical request
// from its cache for 250 ms, so the second registration reuses the first
// one's nonce ("nonce has already been used"), with or without
// `await tx.wait()` in between.  MODE is a comma-separated list of the
// usual ways around it:
//   noncemanager  ethers.NonceManager counts nonces locally (the fix ethers'
//                 documentation gives; the default MODE);
//   nocache       the provider's cache off (cacheTimeout: -1);
//   nobatch       no JSON-RPC batching (batchMaxCount: 1), which also drops
//                 the provider's 10 ms wait for more requests to batch:
//                 a tuning, not the usual way;
//   wait          `await tx.wait()` after each registration;
//   plain         none of these (fails on a fast node, as explained).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const contracts = path.join(here, '..', '..', 'contracts');
const require = createRequire(path.join(contracts, 'package.json'));
const { ethers } = require('ethers');
const artifact = require(path.join(contracts, 'artifacts', 'BafokaCommunity.json'));

const [url, address, key, countText, mode = 'noncemanager'] = process.argv.slice(2);
const count = Number(countText);
const flags = new Set(mode.split(','));

const options = { staticNetwork: true };
if (flags.has('nocache'))
  options.cacheTimeout = -1;
if (flags.has('nobatch'))
  options.batchMaxCount = 1;
const provider = new ethers.JsonRpcProvider(url, undefined, options);
let signer = new ethers.Wallet(key, provider);
if (flags.has('noncemanager'))
  signer = new ethers.NonceManager(signer);
const contract = new ethers.Contract(address, artifact.abi, signer);

const members = Array.from({ length: count }, () => ethers.Wallet.createRandom().address);
const start = performance.now();
let last;
for (const member of members) {
  last = await contract.registerMember(member, 1);
  if (flags.has('wait') && (await last.wait()).status !== 1)
    throw new Error('a registration failed');
}
const receipt = await last.wait();
const seconds = (performance.now() - start) / 1000;
if (receipt.status !== 1)
  throw new Error('the last registration failed');
console.log(JSON.stringify({ count, seconds, tx_per_s: count / seconds, mode }));
provider.destroy();
