
# Added by `make docs`: the site is built without network, so the inventories of the Ansible and
# Python docs (intersphinx) cannot be fetched. References into them stay plain text; references to
# this collection's own pages must still resolve, since warnings fail the build.
intersphinx_mapping = {}
nitpick_ignore_regex = [("std:ref", r"(?!ansible_collections\.openvox\.ucpbx\.).*")]
