"""A FAKE of the Mem0 platform HTTP API (the external boundary), recording every request.

It implements just enough of /v1/ping, /v3/memories/{add,search,}, /v1/memories/{id} for the
real ``mem0.MemoryClient`` to run against it; it is not a product component.

Scoping is modelled on the worst case the SDK allows: add, search, list and delete-all honour the
``org_id``/``project_id`` the caller sends, but the by-id routes (GET/DELETE /v1/memories/{id}/) get
only the id (the SDK sends no org or project there), so they reach a memory of any project, as an
API key with access to several projects would.

Versions as the platform models them: a new memory lists the memories it replaces in
``linked_memory_ids``, and search/list with ``latest_only`` leave linked (older) ones out. The real
platform's own model decides what a new memory replaces; this fake follows ``supersede`` rules the
test sets instead: (A, B) = a new memory containing A replaces the same user's memories containing B.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.local_http import JsonHandler, LocalHttpServer


class FakeMem0Platform(LocalHttpServer):
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.memories: dict[str, dict[str, Any]] = {}
        self.supersede: list[tuple[str, str]] = []
        platform = self

        class Handler(JsonHandler):
            def _handle(self, method: str) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                platform.requests.append(
                    {
                        "method": method,
                        "path": url.path,
                        "query": parse_qs(url.query),
                        "json": body,
                        "auth": self.headers.get("Authorization"),
                    }
                )
                self.send_json(*platform.route(method, url.path, parse_qs(url.query), body))

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

        super().__init__(Handler)
        self.url = self.origin

    def calls(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == path]

    @staticmethod
    def _in_scope(memory: dict[str, Any], user_id: str, scope: dict[str, Any]) -> bool:
        """The user's memory, in the org and project the request names (when it names them)."""
        return memory["user_id"] == user_id and all(
            memory.get(key) == scope[key] for key in ("org_id", "project_id") if scope.get(key) is not None
        )

    def _superseded_ids(self) -> set[str]:
        return {old for m in self.memories.values() for old in m.get("linked_memory_ids", [])}

    def _replaced(self, text: str, user_id: str, body: dict[str, Any]) -> list[str]:
        """The scripted stand-in for the platform model's decision (see the module docstring)."""
        gone = self._superseded_ids()
        return [
            memory_id
            for new, old in self.supersede
            if new in text
            for memory_id, m in self.memories.items()
            if self._in_scope(m, user_id, body) and old in m["memory"] and memory_id not in gone
        ]

    def _visible(self, user_id: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        gone = self._superseded_ids() if body.get("latest_only") else set()
        return [m for k, m in self.memories.items() if self._in_scope(m, user_id, body) and k not in gone]

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        if path == "/v1/ping/":
            return 200, {"status": "ok", "org_id": "org-fake", "project_id": "proj-fake", "user_email": None}
        if path == "/v3/memories/add/":
            filters = body["filters"]
            results = []
            for message in body["messages"]:
                memory_id = str(uuid.uuid4())
                linked = self._replaced(message["content"], filters["user_id"], body)
                item = {
                    "id": memory_id,
                    "memory": message["content"],
                    "user_id": filters["user_id"],
                    "run_id": filters.get("run_id"),
                    "categories": [next(iter(body["custom_categories"][0]))],
                    "metadata": body.get("metadata"),
                    "created_at": "2026-11-25T12:00:00+00:00",
                    "org_id": body.get("org_id"),
                    "project_id": body.get("project_id"),
                    "linked_memory_ids": linked,
                }
                self.memories[memory_id] = item
                results.append(
                    {
                        "id": memory_id,
                        "memory": item["memory"],
                        "event": "ADD",
                        "categories": item["categories"],
                        "linked_memory_ids": linked,
                    }
                )
            return 200, {"results": results}
        if path in ("/v3/memories/search/", "/v3/memories/") and method == "POST":
            mine = self._visible(body["filters"]["user_id"], body)
            return 200, {"results": mine} if path.endswith("search/") else {"results": mine, "next": None}
        if path.startswith("/v1/memories/") and path.count("/") == 4:
            memory_id = path.split("/")[3]
            if method == "GET":
                return (200, self.memories[memory_id]) if memory_id in self.memories else (404, {"detail": "no"})
            self.memories.pop(memory_id, None)
            return 200, {"message": "deleted"}
        if path == "/v1/memories/" and method == "DELETE":
            scope = {key: values[0] for key, values in query.items()}
            for memory_id in [k for k, m in self.memories.items() if self._in_scope(m, scope["user_id"], scope)]:
                del self.memories[memory_id]
            return 200, {"message": "deleted"}
        return 404, {"detail": f"fake has no route {method} {path}"}
