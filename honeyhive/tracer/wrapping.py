"""The machinery behind the decorators: how a traced call becomes a span.

Everything that does not depend on the call is computed once, at decoration time: the span name,
the static attributes, which argument goes to which ``honeyhive_inputs.*`` key. A call then costs
one tracer resolution, one attribute dict and the OpenTelemetry span itself.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from contextvars import Token
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

from opentelemetry import trace as trace_api
from opentelemetry.context import Context, attach, detach
from opentelemetry.trace import Span, Status, StatusCode
from opentelemetry.util.types import AttributeValue

from honeyhive.tracer import registry
from honeyhive.tracer.attributes import (
    CONFIG,
    DEFAULT_EVENT_TYPE,
    ERROR,
    EVENT_ID,
    EVENT_NAME,
    EVENT_TYPE,
    FEEDBACK,
    INPUTS,
    METADATA,
    METRICS,
    OUTPUTS,
    RESULT,
    SCALAR_TYPES,
    namespaced,
    to_attribute,
    within_limit,
)
from honeyhive.tracer.attribution import claim_here
from honeyhive.tracer.config import optional_mapping

if TYPE_CHECKING:
    from honeyhive.tracer.core import HoneyHiveTracer

__all__ = ["InputCapture", "TraceScope", "TraceSpec", "wrap"]

_F = TypeVar("_F", bound=Callable[..., Any])

_ACTIVE: Final = registry.ACTIVE
_INPUT_PREFIX: Final = INPUTS + "."
# Arguments that are never inputs: the receiver, and 1.7's ``tracer`` plumbing argument.
_RECEIVERS: Final = frozenset({"self", "cls"})
_NEVER_INPUTS: Final = frozenset({"tracer"})
_set_span_in_context: Final = trace_api.set_span_in_context


class TraceSpec:
    """What a decorator was given, validated and flattened once."""

    __slots__ = ("attributes", "capture_result", "event_name", "event_type", "tracer")

    def __init__(
        self,
        *,
        event_type: str | None = None,
        event_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        metrics: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        event_id: str | None = None,
        tracer: HoneyHiveTracer | None = None,
        attributes: Mapping[str, object] | None = None,
    ) -> None:
        from honeyhive.tracer.core import HoneyHiveTracer  # noqa: PLC0415  (import cycle)

        for name, value in (("event_type", event_type), ("event_name", event_name)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be a str, not {type(value).__name__}")
        if tracer is not None and not isinstance(tracer, HoneyHiveTracer):
            raise TypeError(f"tracer must be a HoneyHiveTracer, not {type(tracer).__name__}")
        static = namespaced(
            {
                METADATA: optional_mapping("metadata", metadata),
                INPUTS: optional_mapping("inputs", inputs),
                OUTPUTS: optional_mapping("outputs", outputs),
                METRICS: optional_mapping("metrics", metrics),
                FEEDBACK: optional_mapping("feedback", feedback),
                CONFIG: optional_mapping("config", config),
            }
        )
        if event_id is not None:
            static[EVENT_ID] = str(event_id)
        if attributes:
            static.update((key, to_attribute(value)) for key, value in attributes.items())
        self.event_type = event_type or DEFAULT_EVENT_TYPE
        self.event_name = event_name
        self.attributes = static
        # Given outputs replace the return value, as in 1.7.
        self.capture_result = not outputs
        self.tracer = tracer

    def static_attributes(self, name: str) -> dict[str, AttributeValue]:
        return {EVENT_TYPE: self.event_type, EVENT_NAME: name, **self.attributes}


class InputCapture:
    """Maps a call's arguments to ``honeyhive_inputs.<parameter>`` without binding a signature."""

    __slots__ = ("defaults", "keyword_keys", "positional_keys", "skip", "var_positional_key")

    def __init__(self, func: Callable[..., Any]) -> None:
        positional: list[str | None] = []
        keyword_keys: dict[str, str] = {}
        defaults: list[tuple[int | None, str, str, AttributeValue]] = []
        skip = set(_NEVER_INPUTS)
        self.var_positional_key: str | None = None
        try:
            parameters = list(inspect.signature(func).parameters.values())
        except (TypeError, ValueError):  # builtins and other callables without a signature
            parameters = []
        for index, parameter in enumerate(parameters):
            name, kind = parameter.name, parameter.kind
            key = _INPUT_PREFIX + name
            if (index == 0 and name in _RECEIVERS) or name in _NEVER_INPUTS:
                skip.add(name)
                if kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
                    positional.append(None)
                continue
            if kind is parameter.VAR_POSITIONAL:
                self.var_positional_key = key
                continue
            if kind is parameter.VAR_KEYWORD:
                continue
            if kind is not parameter.KEYWORD_ONLY:
                positional.append(key)
            keyword_keys[name] = key
            if parameter.default is not parameter.empty and parameter.default is not None:
                at = None if kind is parameter.KEYWORD_ONLY else len(positional) - 1
                defaults.append((at, name, key, to_attribute(parameter.default)))
        self.positional_keys = tuple(positional)
        self.keyword_keys = keyword_keys
        self.defaults = tuple(defaults)
        self.skip = frozenset(skip)

    @property
    def needs_more(self) -> bool:
        """Whether a call without keywords can have inputs beyond its positional arguments."""
        return bool(self.defaults) or self.var_positional_key is not None

    def more_adder(self) -> InputAdder:
        """A closure adding the inputs beyond the positional parameters (keywords, ``*args``,
        defaults), with everything it reads bound as locals: it may run on every call."""
        keys, var_key = self.positional_keys, self.var_positional_key
        count = len(keys)
        known, skip, defaults = self.keyword_keys, self.skip, self.defaults
        scalars, convert, prefix = SCALAR_TYPES, to_attribute, _INPUT_PREFIX

        def add_more(
            attributes: dict[str, AttributeValue], args: tuple[Any, ...], kwargs: dict[str, Any]
        ) -> None:
            if kwargs:
                for name, value in kwargs.items():
                    if value is not None and name not in skip:
                        attributes[known.get(name) or prefix + name] = (
                            value if type(value) in scalars else convert(value)
                        )
            if var_key is not None and len(args) > count:
                attributes[var_key] = convert(args[count:])
            if defaults:
                given = len(args)
                for at, name, key, value in defaults:
                    if (at is None or at >= given) and name not in kwargs:
                        attributes[key] = value

        return add_more

    def adder(self) -> InputAdder:
        """A closure adding all of a call's inputs."""
        keys, scalars, convert = self.positional_keys, SCALAR_TYPES, to_attribute
        add_more = self.more_adder()

        def add(
            attributes: dict[str, AttributeValue], args: tuple[Any, ...], kwargs: dict[str, Any]
        ) -> None:
            for key, value in zip(keys, args):  # noqa: B905  (strict= is a slower keyword call)
                if key is not None and value is not None:
                    attributes[key] = value if type(value) in scalars else convert(value)
            add_more(attributes, args, kwargs)

        return add


InputAdder = Callable[[dict[str, AttributeValue], tuple[Any, ...], dict[str, Any]], None]


def record_failure(span: Span, error: BaseException) -> None:
    """Record the user's exception on the span. Never raises: the user's exception must
    propagate unchanged, even if its ``__str__`` is broken."""
    if not isinstance(error, Exception):
        return  # KeyboardInterrupt, GeneratorExit, cancellation: not the function's failure
    try:
        message = f"{type(error).__name__}: {error}"
    except Exception:
        message = type(error).__name__
    try:
        span.record_exception(error)
    except Exception:  # OpenTelemetry formats str(error) too
        span.add_event("exception", {"exception.type": type(error).__qualname__})
    span.set_status(Status(StatusCode.ERROR, message))
    span.set_attribute(ERROR, message)


def _call_attributes(
    tracer: HoneyHiveTracer,
    static: Mapping[str, AttributeValue],
    add_inputs: InputAdder,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> dict[str, AttributeValue]:
    """All of a call's span attributes, in one dict, given to the span at its start."""
    attributes: dict[str, AttributeValue] = {**tracer._session_attrs, **static}
    add_inputs(attributes, args, kwargs)
    return attributes


def end_in_session(span: Span, tracer: HoneyHiveTracer) -> None:
    """End the span, with its session stamped again if OpenTelemetry's attribute limit evicted
    anything (application code can add attributes past it): the session's go first, being the
    oldest."""
    if getattr(span, "dropped_attributes", 0):
        span.set_attributes(tracer._session_attrs)
    span.end()


def _start(
    tracer: HoneyHiveTracer,
    name: str,
    attributes: dict[str, AttributeValue],
    *,
    explicit: bool,
) -> tuple[Span, Context]:
    """Start a span in the tracer's session; the context to attach while its code runs.

    ``explicit``: the tracer was given (``tracer=``, ``tracer.trace``), not resolved here.
    """
    if explicit and _ACTIVE.get() is not tracer:  # made active inside a trace: it claims it
        claim_here(tracer)
    if len(attributes) > tracer._attribute_room:
        attributes = within_limit(attributes, tracer._attribute_room)
    # 1.7's link_carrier: a remote parent for the tracer's root spans.
    parent = tracer._link_context
    if parent is not None and trace_api.get_current_span().get_span_context().is_valid:
        parent = None
    span = tracer._otel_tracer.start_span(name, parent, attributes=attributes)
    return span, _set_span_in_context(span, parent)


def wrap(func: Callable[..., Any], spec: TraceSpec) -> Callable[..., Any]:
    """Trace ``func``: a function, coroutine function, generator or async generator function."""
    if isinstance(func, (staticmethod, classmethod)):
        return type(func)(wrap(func.__func__, spec))
    if not callable(func):
        raise TypeError(f"cannot trace {func!r}: it is not callable")
    name = spec.event_name or getattr(func, "__qualname__", None) or repr(func)
    static = spec.static_attributes(name)
    inputs = InputCapture(func)
    add_inputs = inputs.adder()
    explicit = spec.tracer
    capture_result = spec.capture_result
    resolve = registry.resolve

    if inspect.isasyncgenfunction(func):

        @functools.wraps(func)
        async def async_generator_wrapper(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
            tracer = resolve(explicit)
            if tracer is None:
                registry.unrouted_call(name)
                async for item in func(*args, **kwargs):
                    yield item
                return
            span, context = _start(
                tracer,
                name,
                _call_attributes(tracer, static, add_inputs, args, kwargs),
                explicit=explicit is not None,
            )
            stream = func(*args, **kwargs)
            sent: Any = None
            pending: BaseException | None = None
            try:
                while True:
                    token, active = attach(context), _ACTIVE.set(tracer)
                    try:
                        if pending is None:
                            item = await stream.asend(sent)
                        else:
                            item, pending = await stream.athrow(pending), None
                    except StopAsyncIteration:
                        break
                    finally:
                        _ACTIVE.reset(active)
                        detach(token)
                    try:
                        sent = yield item
                    except GeneratorExit:
                        token = attach(context)
                        try:
                            await stream.aclose()
                        finally:
                            detach(token)
                        raise
                    except BaseException as thrown:
                        pending, sent = thrown, None
            except BaseException as error:
                record_failure(span, error)
                raise
            finally:
                end_in_session(span, tracer)

        return async_generator_wrapper

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def coroutine_wrapper(*args: Any, **kwargs: Any) -> Any:
            tracer = resolve(explicit)
            if tracer is None:
                registry.unrouted_call(name)
                return await func(*args, **kwargs)
            span, context = _start(
                tracer,
                name,
                _call_attributes(tracer, static, add_inputs, args, kwargs),
                explicit=explicit is not None,
            )
            token, active = attach(context), _ACTIVE.set(tracer)
            try:
                result = await func(*args, **kwargs)
            except BaseException as error:
                record_failure(span, error)
                raise
            else:
                if capture_result and result is not None:
                    span.set_attribute(RESULT, to_attribute(result))
                return result
            finally:
                _ACTIVE.reset(active)
                detach(token)
                end_in_session(span, tracer)

        return coroutine_wrapper

    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def generator_wrapper(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            tracer = resolve(explicit)
            if tracer is None:
                registry.unrouted_call(name)
                return (yield from func(*args, **kwargs))
            span, context = _start(
                tracer,
                name,
                _call_attributes(tracer, static, add_inputs, args, kwargs),
                explicit=explicit is not None,
            )
            stream = func(*args, **kwargs)
            sent: Any = None
            pending: BaseException | None = None
            result: Any = None
            try:
                while True:
                    token, active = attach(context), _ACTIVE.set(tracer)
                    try:
                        if pending is None:
                            item = stream.send(sent)
                        else:
                            item, pending = stream.throw(pending), None
                    except StopIteration as stop:
                        result = stop.value
                        break
                    finally:
                        _ACTIVE.reset(active)
                        detach(token)
                    try:
                        sent = yield item
                    except GeneratorExit:
                        token = attach(context)
                        try:
                            stream.close()
                        finally:
                            detach(token)
                        raise
                    except BaseException as thrown:
                        pending, sent = thrown, None
                if capture_result and result is not None:
                    span.set_attribute(RESULT, to_attribute(result))
            except BaseException as error:
                record_failure(span, error)
                raise
            finally:
                end_in_session(span, tracer)
            return result

        return generator_wrapper

    # The plain function is the hot path: resolution, inputs and span start are inlined here
    # (each helper call would cost more than its work); the other kinds use the helpers above.
    get_active, set_active, reset_active = _ACTIVE.get, _ACTIVE.set, _ACTIVE.reset
    unlinked = registry.unlinked
    positional_keys, scalars, convert = inputs.positional_keys, SCALAR_TYPES, to_attribute
    add_more, needs_more = inputs.more_adder(), inputs.needs_more

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        active = get_active()
        if explicit is None:
            tracer = active if active is not None else unlinked()
            if tracer is None:
                registry.unrouted_call(name)
                return func(*args, **kwargs)
        elif active is None or active is explicit or active._origin is not explicit:
            tracer = explicit
        else:  # a legacy create_session() tracer stands in for its origin
            tracer = active
        attributes = {**tracer._session_attrs, **static}
        for key, value in zip(positional_keys, args):  # noqa: B905  (strict= is slower)
            if key is not None and value is not None:
                attributes[key] = value if type(value) in scalars else convert(value)
        if kwargs or needs_more:
            add_more(attributes, args, kwargs)
        if len(attributes) > tracer._attribute_room:
            attributes = within_limit(attributes, tracer._attribute_room)
        if explicit is not None and active is not tracer:  # made active inside a trace: claims it
            claim_here(tracer)
        parent = tracer._link_context
        if parent is not None and trace_api.get_current_span().get_span_context().is_valid:
            parent = None
        span = tracer._otel_tracer.start_span(name, parent, attributes=attributes)
        token = attach(_set_span_in_context(span, parent))
        active_token = set_active(tracer) if active is not tracer else None
        try:
            result = func(*args, **kwargs)
        except BaseException as error:
            if active_token is not None:
                reset_active(active_token)
            detach(token)
            record_failure(span, error)
            end_in_session(span, tracer)
            raise
        if active_token is not None:
            reset_active(active_token)
        detach(token)
        if capture_result and result is not None:
            span.set_attribute(RESULT, result if type(result) in scalars else convert(result))
        end_in_session(span, tracer)
        return result

    return wrapper


# What entering a TraceScope opened: the span, the context tokens, and the span's tracer.
_Opened = tuple[Span, Token[Context], Token["HoneyHiveTracer | None"], "HoneyHiveTracer"]


class TraceScope:
    """What ``tracer.trace(...)`` returns: a decorator, and a context manager yielding the span."""

    __slots__ = ("_name", "_open", "_spec")

    def __init__(self, spec: TraceSpec, name: str | None) -> None:
        self._spec = spec
        self._name = name
        self._open: list[_Opened] = []

    def __repr__(self) -> str:
        return f"TraceScope(name={self._name or self._spec.event_name!r})"

    def __call__(self, func: _F) -> _F:
        if self._name is not None and self._spec.event_name is None:
            self._spec.event_name = self._name
        return cast("_F", wrap(func, self._spec))

    def __enter__(self) -> Span:
        tracer = registry.resolve(self._spec.tracer)
        if tracer is None:  # unreachable for a bound scope: its tracer exists
            registry.unrouted_call(self._name or "tracer.trace()")
            return trace_api.INVALID_SPAN
        name = self._name or self._spec.event_name or "trace"
        attributes = {**tracer._session_attrs, **self._spec.static_attributes(name)}
        span, context = _start(tracer, name, attributes, explicit=self._spec.tracer is not None)
        self._open.append((span, attach(context), _ACTIVE.set(tracer), tracer))
        return span

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._open:
            return
        entry = self._entered_here()
        self._open.remove(entry)
        span, token, active, tracer = entry
        _ACTIVE.reset(active)
        detach(token)
        if exc is not None:
            record_failure(span, exc)
        end_in_session(span, tracer)

    def _entered_here(self) -> _Opened:
        """The entry this context opened: one scope object may be entered by several threads or
        tasks at once, and they exit in any order. Its span is the current one here."""
        current = trace_api.get_current_span()
        opened = list(self._open)
        return next((entry for entry in reversed(opened) if entry[0] is current), opened[-1])

    async def __aenter__(self) -> Span:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, traceback)
