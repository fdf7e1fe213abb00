"""trunklist/query and siptrunk/query|add|update|delete (OpenVox UC API: Trunk).

Only SIP trunks are visible to siptrunk/*; trunks of other kinds come from the state
document and show in trunklist/query only.
"""

from .. import trunk_model as model
from ..registry import Endpoints, require

ENDPOINTS = Endpoints()


@ENDPOINTS.query("trunklist/query")
def query_list(call):
    # The docs name the list two ways; the CLI option picks one.
    records = call.emulator.state.trunks.sorted_records()
    return {call.emulator.settings.trunk_list_key: [model.render_list_entry(r) for r in records]}


ENDPOINTS.selects("siptrunk/query", "trunks", "trunkname", "trunks", render=model.render_sip)


@ENDPOINTS("siptrunk/add")
def add(call):
    call.emulator.state.trunks.add_sip(call.body)


@ENDPOINTS("siptrunk/update")
def update(call):
    state = call.emulator.state
    old_name, new_name = state.trunks.update_sip(call.body)
    if new_name != old_name:
        # Routes name their trunks; a rename must not leave them pointing at nothing.
        state.outbound_routes.rename_trunk(old_name, new_name)


@ENDPOINTS("siptrunk/delete")
def delete(call):
    in_use = call.emulator.state.outbound_routes.trunks_in_use()
    call.emulator.state.trunks.delete(require(call.body, "trunkname"),
                                      in_use=lambda record: record["trunkname"] in in_use)
