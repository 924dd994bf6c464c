"""Services that hold a tracer as an attribute."""

from dataclasses import dataclass

from honeyhive import HoneyHiveTracer

from .lookalikes import VendorTracer
from .tracing import make_tracer


class ChatService:
    def __init__(self) -> None:
        self.tracer = HoneyHiveTracer.init(project="chat")


class ReplicaService:
    def __init__(self) -> None:
        self.tracer = make_tracer()


@dataclass
class Deps:
    tracer: HoneyHiveTracer
    project: str = "chat"


class VendorService:
    def __init__(self) -> None:
        self.tracer = VendorTracer()
