package tally_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	tally "github.com/tally-lang/tally/vm-core/go"
)

const dir = "../conformance"

func unhex(t *testing.T, s string) []byte {
	if s == "-" {
		return nil
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func load(t *testing.T, name string) *tally.Module {
	b, err := os.ReadFile(dir + "/modules/" + name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := tally.Load(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func TestConformanceVectors(t *testing.T) {
	f, err := os.Open(dir + "/vectors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	modules := map[string]*tally.Module{}
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		v := strings.Split(line, " ")
		if len(v) != 10 {
			t.Fatalf("bad line %q", line)
		}
		num := func(s string) uint64 {
			x, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		m, ok := modules[v[0]]
		if !ok {
			m = load(t, v[0])
			defer m.Close()
			modules[v[0]] = m
		}
		args := unhex(t, v[2])
		b, err := m.Bound(v[1], args)
		if err != nil || b.Gas != num(v[4]) || b.Memory != num(v[5]) {
			t.Errorf("%s: bound %+v %v", line, b, err)
		}
		o, err := m.Call(v[1], args, tally.DefaultLimits(num(v[3])))
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		status := o.Trap
		if status == "" {
			status = "ok"
		}
		if status != v[6] || o.GasUsed != num(v[7]) || o.MemoryUsed != num(v[8]) || !bytes.Equal(o.Result, unhex(t, v[9])) {
			t.Errorf("%s: got %+v", line, o)
		}
		n++
	}
	if n < 80 {
		t.Fatalf("only %d vectors", n)
	}
}

var transfer = []byte{4, 5, 1, 2, 5, 0, 2, 4, 1, 0xaa, 3, 10, 5, 0, 0, 4, 1, 0xaa, 4, 1, 0xbb, 3, 4}

func status(err error) tally.Status {
	var e *tally.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

func TestBadInputGivesErrors(t *testing.T) {
	b, err := os.ReadFile(dir + "/modules/assoc_token.tbc")
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(b); n++ {
		if _, err := tally.Load(b[:n]); status(err) != tally.StatusDecode {
			t.Fatalf("truncated to %d: %v", n, err)
		}
	}
	if _, err := tally.Load(nil); status(err) != tally.StatusDecode {
		t.Fatalf("nil module: %v", err)
	}
	m := load(t, "assoc_token.tbc")
	if _, err := m.Bound("mint", transfer); status(err) != tally.StatusUnknownEntry {
		t.Errorf("unknown entry: %v", err)
	}
	if _, err := m.Call("transfer", []byte{1, 3, 5}, tally.DefaultLimits(1000)); status(err) != tally.StatusBadArguments {
		t.Errorf("wrong argument types: %v", err)
	}
	if _, err := m.Call("transfer", transfer[:10], tally.DefaultLimits(1000)); status(err) != tally.StatusBadArguments {
		t.Errorf("truncated arguments: %v", err)
	}
	o, err := m.Call("transfer", transfer, tally.DefaultLimits(0))
	if err != nil || o.Trap != "out_of_gas" || o.GasUsed != 0 || o.Result != nil {
		t.Errorf("gas limit 0: %+v %v", o, err)
	}
	l := tally.DefaultLimits(10)
	l.RefuseOverBound = true
	if _, err := m.Call("transfer", transfer, l); status(err) != tally.StatusOverBound {
		t.Errorf("refused over bound: %v", err)
	}
	m.Close()
	m.Close()
	// A closed module is a null handle to the C ABI: an error, not a crash.
	if _, err := m.Bound("transfer", transfer); status(err) != tally.StatusNullPointer {
		t.Errorf("closed module: %v", err)
	}
	if len(m.Exports()) != 0 {
		t.Error("a closed module has no exports")
	}
}

func TestExportsAndConcurrentCalls(t *testing.T) {
	m := load(t, "assoc_token.tbc")
	defer m.Close()
	var names []string
	for _, e := range m.Exports() {
		names = append(names, e.Name)
		if e.Name == "transfer" && !strings.Contains(e.Signature, "List<Entry>") {
			t.Errorf("signature %q", e.Signature)
		}
	}
	if !strings.Contains(strings.Join(names, ","), "balance_of,test:overdraft_rejected,test:transfer_moves_funds,transfer") {
		t.Errorf("exports %v", names)
	}
	want, _ := m.Call("transfer", transfer, tally.DefaultLimits(1_000_000))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				o, err := m.Call("transfer", transfer, tally.DefaultLimits(1_000_000))
				if err != nil || o.GasUsed != want.GasUsed || !bytes.Equal(o.Result, want.Result) {
					t.Errorf("concurrent call: %+v %v", o, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkBound(b *testing.B) {
	bytes, _ := os.ReadFile(dir + "/modules/assoc_token.tbc")
	m, _ := tally.Load(bytes)
	defer m.Close()
	for i := 0; i < b.N; i++ {
		if _, err := m.Bound("transfer", transfer); err != nil {
			b.Fatal(err)
		}
	}
}
