"""Helpers for the tests of the configuration endpoints (extensions, trunks, routes,
groups): one object per kind of resource, and the checks its tests share."""


def merged(*parts):
    """The dicts ``parts`` merged left to right; a key set to None is left out, so a
    table row can drop a field from an example body."""
    body = {}
    for part in parts:
        body.update(part)
    return {key: value for key, value in body.items() if value is not None}


def assert_all_strings(answer, context):
    """Every scalar anywhere in ``answer`` is a string, as on the device."""
    stack = [answer]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        else:
            assert isinstance(value, str), (context, value)


class Resource:
    """The ``<prefix>/add|query|delete`` endpoints of one kind of object.

    ``key`` selects objects in query and delete requests, ``listing`` holds them in a
    query answer, and ``field`` names an object in that listing (``key`` unless given).
    """

    def __init__(self, prefix, key, listing, field=None):
        self.prefix = prefix
        self.key = key
        self.listing = listing
        self.field = field or key

    def add(self, emu, token, **body):
        return emu.api(f"{self.prefix}/add", body, token=token)

    def select(self, emu, token, body=None):
        """The objects a successful query with ``body`` answers."""
        answer = emu.api(f"{self.prefix}/query", body, token=token)
        assert answer["status"] == "Success", answer
        return answer[self.listing]

    def query(self, emu, token, selection="all"):
        return self.select(emu, token, {self.key: selection})

    def names(self, emu, token, selection="all"):
        return [item[self.field] for item in self.query(emu, token, selection)]

    def delete(self, emu, token, selection):
        return emu.api(f"{self.prefix}/delete", {self.key: selection}, token=token)

    def check_delete_one_list_and_all(self, emu, token, names, **fields):
        """Add four objects named ``names`` (with ``fields``), then delete one, a list of
        two and "all"."""
        for name in names:
            assert self.add(emu, token, **{self.key: name}, **fields)["status"] == "Success"
        first, second, third, last = names
        assert self.delete(emu, token, second) == {"status": "Success"}
        assert self.delete(emu, token, f"{first},{third}")["status"] == "Success"
        assert self.names(emu, token) == [last]
        assert self.delete(emu, token, "all")["status"] == "Success"
        assert self.query(emu, token) == []
