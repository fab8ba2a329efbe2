// ethers-register.mjs: the comparison point of the submission benchmark.
// Registers N members the way a typical ethers v6 program does, one
// `await contract.registerMember(...)` after the other, and prints
// {"count": N, "seconds": S, "tx_per_s": R} as JSON.
//
//   node ethers-register.mjs RPC_URL CONTRACT PRIVATE_KEY N
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const contracts = path.join(here, '..', '..', 'contracts');
const require = createRequire(path.join(contracts, 'package.json'));
const { ethers } = require('ethers');
const artifact = require(path.join(contracts, 'artifacts', 'BafokaCommunity.json'));

const [url, address, key, countText] = process.argv.slice(2);
const count = Number(countText);

const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true });
const wallet = new ethers.Wallet(key, provider);
const contract = new ethers.Contract(address, artifact.abi, wallet);

const members = Array.from({ length: count }, () => ethers.Wallet.createRandom().address);
const start = performance.now();
let last;
for (const member of members)
  last = await contract.registerMember(member, 1);
const receipt = await last.wait();
const seconds = (performance.now() - start) / 1000;
if (receipt.status !== 1)
  throw new Error('the last registration failed');
console.log(JSON.stringify({ count, seconds, tx_per_s: count / seconds }));
provider.destroy();
