"""A library module that works without honeyhive installed, as many integrations do."""

try:
    from honeyhive import HoneyHiveTracer, trace
except ImportError:

    def trace(*args, **kwargs):
        return lambda function: function

    class HoneyHiveTracer:
        @classmethod
        def init(cls, **options):
            return cls()

        def create_session(self): ...


default_tracer = HoneyHiveTracer.init(project="chat")
