"""The MCP tools (web/mcp.py) of the real app, through the `mcp` SDK's clients over HTTP: the
four tools listed with descriptions written for an assistant, called on uploaded files, URLs of
them and data: URLs; CODEBOOK_MCP=0 serves none."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest

from harness.fixtures import fixture_path

from mcp import ClientSession    # (requirements.txt: gradio[mcp])
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

TOOLS = {"analyze_data", "get_data_info", "parse_dictionary", "profile_dataset"}


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 120))


async def _session(url: str, action):
    async with streamable_http_client(url + "gradio_api/mcp/") as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await action(session)


def call(url: str, tool: str, **arguments):
    """A tool's result (isError, its one text)."""
    async def action(session):
        return await session.call_tool(tool, arguments)
    result = run(_session(url, action))
    assert len(result.content) == 1
    return result.isError, result.content[0].text


def upload(url: str, path) -> str:
    """The server path /gradio_api/upload gives for a file (what an assistant's upload gets)."""
    with open(path, "rb") as fh:
        response = httpx.post(url + "gradio_api/upload", files={"files": fh}, timeout=30)
    response.raise_for_status()
    return response.json()[0]


def json_block(text: str):
    """The JSON of a tool's ```json block."""
    match = re.search(r"```json\n(.*)\n```", text, re.S)
    assert match, text[:300]
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def tools(app_server):
    async def action(session):
        return (await session.list_tools()).tools
    return {t.name: t for t in run(_session(app_server.url, action))}


def test_the_four_tools_alone_with_descriptions_for_an_assistant(tools):
    assert set(tools) == TOOLS      # not the UI's endpoints (session state in, widgets out)
    for tool in tools.values():
        text = tool.description
        assert "Returns" in text and "data: URL" in text and "/gradio_api/upload" in text
        assert "at most 500 MB each" in text
        for name, prop in tool.inputSchema["properties"].items():
            assert len(prop.get("description", "")) > 20, (tool.name, name)
    assert "CSV/TSV" in tools["get_data_info"].description
    assert "REDCap" in tools["parse_dictionary"].description
    assert "```json" in tools["analyze_data"].description
    assert tools["analyze_data"].inputSchema["required"] == ["data_file"]
    assert set(tools["analyze_data"].inputSchema["properties"]) == {
        "data_file", "dictionary_file", "mapping"}
    assert tools["parse_dictionary"].inputSchema["properties"]["use_llm"]["type"] == "boolean"


def test_the_sse_transport_lists_the_same_tools(app_server):
    async def listed():
        async with sse_client(app_server.url + "gradio_api/mcp/sse") as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return {t.name for t in (await session.list_tools()).tools}
    assert run(listed()) == TOOLS


def test_get_data_info_describes_an_uploaded_csv(app_server):
    path = upload(app_server.url, fixture_path("country-codes", "country-codes.csv"))
    error, text = call(app_server.url, "get_data_info", data_file=path)
    assert not error, text
    assert text.startswith("**249 rows ×") and "`country-codes.csv`" in text
    row = next(line for line in text.splitlines() if line.startswith("| ISO3166-1-Alpha-2 |"))
    assert row.split("|")[3].strip() == "0"    # no missing value: "NA" is Namibia


def test_analyze_data_reports_the_checks_as_markdown_and_json(app_server):
    url = app_server.url
    data = upload(url, fixture_path("house-prices", "train.csv"))
    dictionary = upload(url, fixture_path("house-prices", "data_description.txt"))
    error, text = call(url, "analyze_data", data_file=data,
                       dictionary_file=f"{url}gradio_api/file={dictionary}",   # its URL
                       mapping='{"BedroomAbvGr": "Bedroom"}')
    assert not error, text
    assert text.startswith("# Data check: train.csv")
    assert "8 of 79 matched fields have problems (742 violations)" in text
    report = json_block(text)
    by_field = {f["name"]: f for f in report["fields"]}
    assert by_field["Bedroom"]["column"] == "BedroomAbvGr"
    counts = {v["kind"]: v["count"] for v in by_field["MSZoning"]["violations"]}
    assert counts == {"category": 10}


def test_parse_and_profile_take_data_urls(app_server):
    text = "age: age in years\nsex: sex (1 = male; 2 = female)\n"
    error, out = call(app_server.url, "parse_dictionary",
                      dictionary_file="data:text/plain," + text.replace("\n", "%0A"))
    assert not error, out
    assert out.startswith("**2 fields** read from `data.txt`")
    schema = json_block(out)
    sex = next(f for f in schema["fields"] if f["name"] == "sex")
    assert {"value": "2", "label": "female"} in [
        {k: str(v) for k, v in c.items()} for c in sex["categories"]]
    import base64
    csv = base64.b64encode(b"age,sex\n31,1\n47,2\n,2\n").decode()
    error, out = call(app_server.url, "profile_dataset", data_file=f"data:text/csv;base64,{csv}")
    assert not error, out
    profile = json_block(out)
    assert profile["rows"] == 3
    assert {c["name"]: c["missing"] for c in profile["columns"]} == {"age": 1, "sex": 0}


@pytest.mark.parametrize("value, message", [
    ("/etc/passwd", "neither an http(s) URL nor a file uploaded to this app"),
    ("http://127.0.0.1:9/data.csv", "not a public address"),
    ("", "data_file is required"),
])
def test_files_outside_the_uploads_and_private_urls_are_refused(app_server, value, message):
    error, text = call(app_server.url, "get_data_info", data_file=value)
    assert error and message in text


def test_a_file_error_reaches_the_assistant_as_the_engines_message(app_server):
    error, text = call(app_server.url, "parse_dictionary",
                       dictionary_file="data:text/plain,hello")
    assert error and "No field definitions could be recognised in data.txt" in text


def test_use_llm_without_a_provider_gives_the_rules_result_and_says_why(app_server):
    path = upload(app_server.url, fixture_path("house-prices", "data_description.txt"))
    error, text = call(app_server.url, "parse_dictionary", dictionary_file=path, use_llm=True)
    assert not error, text
    assert text.startswith("**79 fields** read from `data_description.txt` (format: text; rules)")
    assert "No LLM refinement:" in text and len(json_block(text)["fields"]) == 79


@pytest.mark.slow
def test_use_llm_refines_with_the_configured_llm(tmp_path):
    from harness.app_server import AppServer
    from simulator import run_in_thread

    sim = run_in_thread(latency="0.1")
    server = None
    try:
        server = AppServer(env={"OPENAI_BASE_URL": sim.base_url, "OPENAI_API_KEY": "sk-test",
                                "OPENAI_MODEL": "codebook-simulator",
                                "CODEBOOK_CACHE_DIR": str(tmp_path / "cache"),
                                "GRADIO_TEMP_DIR": str(tmp_path / "gradio")})
        path = upload(server.url, fixture_path("house-prices", "data_description.txt"))
        error, text = call(server.url, "parse_dictionary", dictionary_file=path, use_llm=True)
    finally:
        if server is not None:
            server.stop()
        sim.stop()
    assert not error, text
    assert "(format: text; rules, then the LLM)" in text
    chunks = re.search(r"LLM: (\d+) of (\d+) chunks; (\d+) calls", text)
    assert chunks and chunks[1] == chunks[2] and int(chunks[3]) >= int(chunks[2]) > 0
    assert json_block(text)["fields"][0]["name"] == "MSSubClass"


def test_codebook_mcp_0_serves_no_mcp_route():
    import app as codebook_app
    from engine.errors import ConfigError
    from engine.settings import Settings
    from web import server

    routes = {}
    for flag in (True, False):
        settings = Settings(cpu_workers=0, mcp=flag)
        demo = server.configure_queue(codebook_app.build_demo(settings), settings)
        app = server.create_app(demo, settings)
        routes[flag] = {getattr(r, "path", "") for r in server.gradio_app(app).routes}
    assert "/gradio_api/mcp" in routes[True]
    assert "/gradio_api/mcp" not in routes[False]
    assert Settings.from_env({"CODEBOOK_MCP": "0"}).mcp is False
    assert Settings.from_env({}).mcp is True
    with pytest.raises(ConfigError, match="CODEBOOK_MCP='maybe' is not valid: use 1 or 0"):
        Settings.from_env({"CODEBOOK_MCP": "maybe"})
