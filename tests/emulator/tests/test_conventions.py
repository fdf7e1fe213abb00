"""Transport conventions shared by every endpoint (OpenVox UC API: API conventions, Error Codes)."""

import pytest

from apihelpers import assert_all_strings

CORS = {
    "Access-control-allow-origin": "*",
    "Access-control-allow-methods": "GET, POST, OPTIONS, PUT, DELETE",
}


def test_headers_and_envelope_on_success(emu, token):
    response = emu.call("deviceinfo/query", token=token)
    assert response.status_code == 200
    for name, value in CORS.items():
        assert response.headers[name] == value
    assert response.headers["Connection"] == "close"
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["status"] == "Success"


def test_failure_is_http_200_with_string_errno(emu):
    response = emu.call("deviceinfo/query", token="0" * 32)
    assert response.status_code == 200
    assert response.headers["Access-control-allow-origin"] == "*"
    assert response.json() == {"status": "Failed", "errno": "20004"}


def test_options_answers_cors_with_empty_body(emu):
    response = emu.call("extension/add", method="OPTIONS")
    assert response.status_code == 200
    assert response.content == b""
    for name, value in CORS.items():
        assert response.headers[name] == value


@pytest.mark.parametrize("path", ["nosuch/query", "extension/frobnicate", ""])
def test_unknown_endpoint_is_10003(emu, token, path):
    assert emu.api(path, token=token) == {"status": "Failed", "errno": "10003"}


def test_path_outside_the_api_is_10003(emu):
    response = emu.call("x", base="/index")
    assert response.status_code == 200
    assert response.json()["errno"] == "10003"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_20001(emu, token, method):
    assert emu.api("extension/query", token=token, method=method)["errno"] == "20001"


@pytest.mark.parametrize("endpoint,key", [
    ("deviceinfo/query", "deviceinfo"),
    ("extensionlist/query", "extlist"),
    ("extension/query", "extinfos"),
])
def test_get_is_accepted_on_bodyless_queries(emu, token, endpoint, key):
    answer = emu.api(endpoint, token=token, method="GET")
    assert answer["status"] == "Success" and key in answer


def test_get_is_refused_elsewhere_and_with_a_body(emu, token):
    assert emu.api("extension/add", token=token, method="GET")["errno"] == "20001"
    assert emu.api("login", method="GET")["errno"] == "20001"
    assert emu.api("extension/query", {"extid": "1"}, token=token,
                   method="GET")["errno"] == "20001"


def test_alias_base_path_works_and_is_logged(emu, token):
    emu.ctl("DELETE", "requests")
    answer = emu.api("deviceinfo/query", token=token, base="/api/v1.1.0")
    assert answer["status"] == "Success"
    (entry,) = emu.requests_log()
    assert entry["base"] == "/api/v1.1.0"
    assert entry["endpoint"] == "deviceinfo/query"


@pytest.mark.parametrize("data", [
    None,                                                # no body at all
    b"",
    b"{}",
    b'{\r\n    "number": "101",\r\n    "username": "al"\r\n}\r\n',
])
def test_accepted_body_shapes(emu, token, data):
    if data is not None and b"number" in data:
        assert emu.api("extension/add", token=token, data=data)["status"] == "Success"
    else:
        assert emu.api("extension/query", token=token, data=data)["status"] == "Success"


def test_numbers_and_nulls_in_json(emu, token):
    assert emu.api("extension/add", {"number": 1000, "maxregistrations": 2, "email": None},
                   token=token)["status"] == "Success"
    (ext,) = emu.api("extension/query", {"extid": 1000}, token=token)["extinfos"]
    assert ext["extnumber"] == "1000"
    assert ext["maxregistrations"] == "2"
    assert ext["email"] == ""


def test_content_type_is_ignored(emu, token):
    answer = emu.api("extension/add", token=token, data=b'{"number":"101"}',
                     headers={"Content-Type": "application/xml"})
    assert answer["status"] == "Success"


@pytest.mark.parametrize("data", [b"{not json", b'["number"]', b'"101"',
                                  b'{"number": {"a": 1}}', b'{"number": ["101"]}'])
def test_unreadable_json_is_20000(emu, token, data):
    assert emu.api("extension/add", token=token, data=data)["errno"] == "20000"


def test_all_response_scalars_are_strings(emu, token):
    emu.api("extension/add", {"number": "101"}, token=token)
    for endpoint in ("deviceinfo/query", "extensionlist/query", "extension/query"):
        assert_all_strings(emu.api(endpoint, token=token), endpoint)


# -- order of checks (OpenVox UC API: Error Codes) ---------------------------------------------------

def test_unknown_endpoint_beats_method(emu):
    assert emu.api("nosuch/query", method="PUT")["errno"] == "10003"


def test_method_beats_token(emu):
    assert emu.api("extension/add", method="PUT")["errno"] == "20001"


def test_token_beats_body(emu):
    assert emu.api("extension/add", data=b"{broken")["errno"] == "20005"
    assert emu.api("extension/add", token="f" * 32, data=b"{broken")["errno"] == "20004"


def test_body_beats_required_fields(emu, token):
    assert emu.api("extension/add", token=token, data=b"{broken")["errno"] == "20000"
    assert emu.api("extension/add", token=token, data=b"{}")["errno"] == "10004"


def test_required_fields_beat_existence(emu, token):
    assert emu.api("extension/update", {"username": "x"}, token=token)["errno"] == "10004"
    assert emu.api("extension/update", {"extid": "999"}, token=token)["errno"] == "10006"


# -- XML mode ----------------------------------------------------------------------------

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def test_xml_login_and_xml_response(emu):
    body = ('<?xml version="1.0" encoding="UTF-8" ?><xml><username>api</username>'
            '<password>e10adc3949ba59abbe56e057f20f883e</password></xml>')
    response = emu.call("login", fmt="xml", data=body.encode(),
                        headers={"Content-Type": "application/json"})
    assert response.headers["Content-Type"] == "application/xml"
    text = response.text
    assert text.startswith(XML_DECLARATION + "<xml><status>Success</status><token>")
    assert text.endswith("</token></xml>")


def test_xml_list_items_and_nested_objects(emu, token):
    for number in ("101", "102"):
        emu.api("extension/add", {"number": number, "username": f"u{number}"}, token=token)
    text = emu.call("extensionlist/query", token=token, fmt="xml").text
    assert text == (
        XML_DECLARATION + "<xml><status>Success</status><extlist>"
        '<item id="0"><extnumber>101</extnumber><status>Unavailable</status>'
        "<type>pjsip</type><username>u101</username><agentid></agentid></item>"
        '<item id="1"><extnumber>102</extnumber><status>Unavailable</status>'
        "<type>pjsip</type><username>u102</username><agentid></agentid></item>"
        "</extlist></xml>")
    info = emu.call("deviceinfo/query", token=token, fmt="xml").text
    assert "<deviceinfo><devicename>UC500</devicename>" in info
    assert "<extensionstatus>2/300</extensionstatus></deviceinfo></xml>" in info


def test_xml_request_body_is_used(emu, token):
    body = b"<?xml version='1.0'?><xml><number>2002</number><username>b&amp;b</username></xml>"
    text = emu.call("extension/add", token=token, fmt="xml", data=body).text
    assert text == XML_DECLARATION + "<xml><status>Success</status></xml>"
    (ext,) = emu.api("extension/query", {"extid": "2002"}, token=token)["extinfos"]
    assert ext["username"] == "b&b"


def test_xml_failure_envelope(emu):
    text = emu.call("extension/query", token="e" * 32, fmt="xml").text
    assert text == XML_DECLARATION + "<xml><status>Failed</status><errno>20004</errno></xml>"


@pytest.mark.parametrize("body", [b"<xml><number>1", b"<root><number>1</number></root>",
                                  b"<xml><number><a>1</a></number></xml>", b"{}"])
def test_malformed_xml_is_10002(emu, token, body):
    text = emu.call("extension/add", token=token, fmt="xml", data=body).text
    assert "<errno>10002</errno>" in text


def test_empty_xml_body_means_no_parameters(emu, token):
    text = emu.call("extension/query", token=token, fmt="xml").text
    assert text == XML_DECLARATION + "<xml><status>Success</status><extinfos></extinfos></xml>"


def test_xml_escapes_values(emu, token):
    emu.api("extension/add", {"number": "101", "username": "<Tom & Jerry>"}, token=token)
    text = emu.call("extension/query", token=token, fmt="xml").text
    assert "<username>&lt;Tom &amp; Jerry&gt;</username>" in text
