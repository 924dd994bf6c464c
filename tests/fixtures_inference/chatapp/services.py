"""Services that hold their tracer as an attribute, and tracers built by a comprehension."""

from dataclasses import dataclass

from chatapp.lookalikes import VendorTracer
from honeyhive import HoneyHiveTracer

PROJECTS = ("chat", "billing")
REPLICAS = [HoneyHiveTracer.init(project=project) for project in PROJECTS]


class ChatService:
    """Makes its tracer in `__init__`."""

    def __init__(self) -> None:
        self.tracer = HoneyHiveTracer.init(project="chat")


class InjectedService:
    """Is given its tracer."""

    def __init__(self, tracer: HoneyHiveTracer) -> None:
        self.tracer = tracer


@dataclass
class Deps:
    """Declares its tracer, as dataclasses and pydantic models do."""

    tracer: HoneyHiveTracer
    project: str = "chat"


class VendorService:
    """Holds another library's tracer under the same attribute name."""

    def __init__(self) -> None:
        self.tracer = VendorTracer()
