// Package tally embeds Tally's VM (vm-core) through its C ABI
// (vm-core/capi): load a module once, ask the gas and memory bound of a
// call without running it, and run it within limits.
//
// Arguments and results are byte slices in the canonical value encoding
// (lang-spec/bytecode.md §8). A Module may be used from many goroutines
// at once. Link against the static library built by
// `cargo build -p tally-capi` (target/debug/libtally_capi.a); set
// CGO_LDFLAGS to use another build.
package tally

/*
#cgo CFLAGS: -I${SRCDIR}/../capi/include
#cgo LDFLAGS: ${SRCDIR}/../../target/debug/libtally_capi.a -lm -ldl -lpthread
#include <stdlib.h>
#include "tally.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Status is the C ABI's status code of a call that could not be made.
type Status int

// The statuses (TallyStatus in tally.h).
const (
	StatusNullPointer  Status = C.TALLY_STATUS_NULL_POINTER
	StatusDecode       Status = C.TALLY_STATUS_DECODE
	StatusVerify       Status = C.TALLY_STATUS_VERIFY
	StatusUnknownEntry Status = C.TALLY_STATUS_UNKNOWN_ENTRY
	StatusBadArguments Status = C.TALLY_STATUS_BAD_ARGUMENTS
	StatusOverBound    Status = C.TALLY_STATUS_OVER_BOUND
	StatusInternal     Status = C.TALLY_STATUS_INTERNAL
	StatusOutOfRange   Status = C.TALLY_STATUS_OUT_OF_RANGE
)

// Error is why a module could not be loaded or a call could not start.
type Error struct {
	Status  Status
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", C.GoString(C.tally_status_name(C.int32_t(e.Status))), e.Message)
}

func fail(s C.enum_TallyStatus, msg *C.char) error {
	e := &Error{Status: Status(s), Message: C.GoString(msg)}
	C.tally_string_free(msg)
	return e
}

// Module is a loaded, verified module.
type Module struct {
	h *C.TallyModule
}

// Export is one entry point: its name, signature and bound formulas
// (parameters written #0, #1, ...).
type Export struct {
	Name, Signature, GasBound, MemoryBound string
}

// Bounds are a call's static gas, memory (bytes, the call stack
// included) and call stack (bytes) bounds.
type Bounds struct {
	Gas, Memory, Stack uint64
}

// Limits are one call's limits; start from DefaultLimits.
type Limits struct {
	Gas, HeapBytes, ArenaBytes uint64
	// RefuseOverBound refuses (StatusOverBound) a call whose bound exceeds
	// the limits, without running it.
	RefuseOverBound bool
}

// DefaultLimits is a gas limit with the largest heap and arena.
func DefaultLimits(gas uint64) Limits {
	l := C.tally_call_limits(C.uint64_t(gas))
	return Limits{Gas: uint64(l.gas), HeapBytes: uint64(l.heap_bytes), ArenaBytes: uint64(l.arena_bytes)}
}

// Outcome is what a call that started produced: Trap is "" and Result the
// encoded result, or Trap names the trap ("out_of_gas", "overflow", ...).
type Outcome struct {
	Result     []byte
	Trap       string
	GasUsed    uint64
	MemoryUsed uint64
	Bounds     Bounds
}

func bytesPtr(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// Load decodes and verifies module bytes.
func Load(b []byte) (*Module, error) {
	p, n := bytesPtr(b)
	var h *C.TallyModule
	var msg *C.char
	if s := C.tally_module_load(p, n, 0, &h, &msg); s != C.TALLY_STATUS_OK {
		return nil, fail(s, msg)
	}
	runtime.KeepAlive(b)
	m := &Module{h: h}
	runtime.SetFinalizer(m, (*Module).Close)
	return m, nil
}

// Close frees the module; it may be called more than once.
func (m *Module) Close() {
	if m.h != nil {
		C.tally_module_free(m.h)
		m.h = nil
	}
}

// Exports lists the entry points, sorted by name.
func (m *Module) Exports() []Export {
	n := int(C.tally_module_export_count(m.h))
	out := make([]Export, 0, n)
	for i := 0; i < n; i++ {
		var name, sig, gas, mem *C.char
		if C.tally_module_export(m.h, C.size_t(i), &name, &sig, &gas, &mem) == C.TALLY_STATUS_OK {
			out = append(out, Export{C.GoString(name), C.GoString(sig), C.GoString(gas), C.GoString(mem)})
		}
	}
	runtime.KeepAlive(m)
	return out
}

// Bound gives the static bounds of entry on the encoded args without running it.
func (m *Module) Bound(entry string, args []byte) (Bounds, error) {
	e := C.CString(entry)
	defer C.free(unsafe.Pointer(e))
	p, n := bytesPtr(args)
	var b C.TallyBounds
	var msg *C.char
	s := C.tally_bound(m.h, e, p, n, &b, &msg)
	runtime.KeepAlive(args)
	runtime.KeepAlive(m)
	if s != C.TALLY_STATUS_OK {
		return Bounds{}, fail(s, msg)
	}
	return Bounds{uint64(b.gas), uint64(b.memory), uint64(b.stack)}, nil
}

// Call runs entry on the encoded args within limits. A trap is not an
// error: it is in Outcome.Trap, with the gas used up to it.
func (m *Module) Call(entry string, args []byte, l Limits) (Outcome, error) {
	e := C.CString(entry)
	defer C.free(unsafe.Pointer(e))
	p, n := bytesPtr(args)
	cl := C.TallyCallLimits{gas: C.uint64_t(l.Gas), heap_bytes: C.uint64_t(l.HeapBytes), arena_bytes: C.uint64_t(l.ArenaBytes)}
	if l.RefuseOverBound {
		cl.refuse_over_bound = 1
	}
	var o C.TallyOutcome
	var msg *C.char
	s := C.tally_call(m.h, e, p, n, &cl, &o, &msg)
	runtime.KeepAlive(args)
	runtime.KeepAlive(m)
	if s != C.TALLY_STATUS_OK {
		return Outcome{}, fail(s, msg)
	}
	defer C.tally_outcome_free(&o)
	out := Outcome{
		GasUsed:    uint64(o.gas_used),
		MemoryUsed: uint64(o.memory_used),
		Bounds:     Bounds{uint64(o.bounds.gas), uint64(o.bounds.memory), uint64(o.bounds.stack)},
	}
	if o.trap == C.TALLY_TRAP_NONE {
		out.Result = C.GoBytes(unsafe.Pointer(o.result), C.int(o.result_len))
	} else {
		out.Trap = C.GoString(o.trap_name)
	}
	return out, nil
}
