"""Another library's tracer, with HoneyHive's method names; this module never imports honeyhive."""


class VendorTracer:
    session_id = None

    def enrich_session(self, session_id=None, **fields):
        return fields

    def create_session(self):
        return "vendor-session"


def trace(session_id=None, **options):
    return lambda function: function


vendor_tracer = VendorTracer()
