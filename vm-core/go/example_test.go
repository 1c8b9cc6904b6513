package tally_test

import (
	"fmt"
	"os"

	tally "github.com/tally-lang/tally/vm-core/go"
)

func Example() {
	bytes, _ := os.ReadFile("../conformance/modules/assoc_token.tbc")
	m, err := tally.Load(bytes)
	if err != nil {
		panic(err)
	}
	defer m.Close()
	// transfer([Entry { owner: #"aa", amount: 10 }], #"aa", #"bb", 4), canonically encoded
	args := []byte{4, 5, 1, 2, 5, 0, 2, 4, 1, 0xaa, 3, 10, 5, 0, 0, 4, 1, 0xaa, 4, 1, 0xbb, 3, 4}
	b, _ := m.Bound("transfer", args)
	o, _ := m.Call("transfer", args, tally.DefaultLimits(1_000_000))
	fmt.Printf("trap %q, gas used within the bound: %v, result %d bytes\n", o.Trap, o.GasUsed <= b.Gas, len(o.Result))
	// Output: trap "", gas used within the bound: true, result 28 bytes
}
