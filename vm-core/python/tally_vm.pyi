"""Tally's VM (vm-core) for Python: load a module once, ask a call's gas and
memory bound without running it, run it within limits.

Values cross as Python data: ``int`` (Int), ``bool`` (Bool), ``None`` (``()``),
``bytes`` (Bytes), ``list`` (List), ``tuple`` (tuples), ``dict`` from field name
to value (structs), :class:`Variant` (enums; a ``str`` is accepted for a
variant without fields). Or as the canonical encoding
(``lang-spec/bytecode.md`` §8): pass ``bytes`` as ``args`` and read
``Outcome.result_bytes``.
"""

from typing import Any, List, Optional, Sequence, Tuple, Union

Args = Union[bytes, Sequence[Any]]

class TallyError(Exception):
    """Base of every tally_vm error."""

class LoadError(TallyError):
    """The module bytes do not decode or verify."""

class CallError(TallyError):
    """A call could not start (no gas used)."""

class UnknownEntry(CallError):
    """No exported entry point has this name."""

class BadArguments(CallError):
    """The arguments do not match the entry point's parameter types."""

class OverBound(CallError):
    """Refused: the call's bound exceeds its limits (``refuse_over_bound``)."""

class Variant:
    """An enum value: ``Variant("Some", 3)``, ``Variant("Leaf")``."""
    def __init__(self, name: str, *fields: Any) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def fields(self) -> Tuple[Any, ...]: ...

class Export:
    """An entry point: parameter and result types as Tally writes them, and
    the bound formulas over the parameters' measures (``#0``, ``|#0|``, ...)."""
    name: str
    params: List[str]
    result: str
    gas_bound: str
    memory_bound: str
    exponential: bool

class Bounds:
    """A call's static bounds: gas, memory in bytes (the call stack
    included), and the call stack alone in bytes."""
    gas: int
    memory: int
    stack: int

class Outcome:
    """What a call that started produced."""
    @property
    def result(self) -> Any:
        """The result as Python data, or ``None`` after a trap."""
    @property
    def result_bytes(self) -> Optional[bytes]:
        """The result's canonical encoding, or ``None`` after a trap."""
    @property
    def trap(self) -> Optional[str]:
        """``None``, or the trap: ``"out_of_gas"``, ``"overflow"``, ``"heap_exhausted"``, ..."""
    @property
    def gas_used(self) -> int: ...
    @property
    def memory_used(self) -> int: ...
    @property
    def bounds(self) -> Bounds: ...

class Module:
    """A loaded, verified module. Thread-safe; ``call`` releases the GIL."""
    @staticmethod
    def load(data: bytes, *, max_verify_work: Optional[int] = None) -> "Module": ...
    @property
    def exports(self) -> List[Export]: ...
    def bound(self, entry: str, args: Args) -> Bounds: ...
    def call(
        self,
        entry: str,
        args: Args,
        *,
        gas_limit: int,
        heap_bytes: Optional[int] = None,
        arena_bytes: Optional[int] = None,
        refuse_over_bound: bool = False,
    ) -> Outcome: ...

def encode_args(module: Module, entry: str, args: Sequence[Any]) -> bytes:
    """The canonical encoding of ``args`` for ``entry``."""
