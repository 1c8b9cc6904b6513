import tally_vm

with open("vm-core/conformance/modules/assoc_token.tbc", "rb") as f:
    module = tally_vm.Module.load(f.read())
ledger = [{"owner": b"\xaa", "amount": 10}]
args = [ledger, b"\xaa", b"\xbb", 4]
bound = module.bound("transfer", args)
outcome = module.call("transfer", args, gas_limit=1_000_000)
print(f"gas {outcome.gas_used} (bound {bound.gas}): {outcome.result}")
