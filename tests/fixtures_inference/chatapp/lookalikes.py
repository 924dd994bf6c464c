"""Another library's tracer and trace decorator, with HoneyHive's method names."""


class VendorTracer:
    session_id = None

    def enrich_session(self, session_id=None, **fields):
        return fields

    def create_session(self):
        return "vendor-session"


def trace(session_id=None, **options):
    return lambda function: function


vendor_tracer = VendorTracer()
