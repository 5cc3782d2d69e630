"""The peer for `npm run bench`: the seed's own stack, FastAPI + PyJWT + sqlite3.

It serves the routes the bench drives, with the API's token rules and response shapes:
GET /health, GET /api/me, GET /api/todos, POST /api/todos. Like the API it sends
`Cache-Control: no-store` and logs one JSON line per request.

Configured by the environment: PEER_DB (a SQLite file the bench prepared with the real
migrations and seed), JWT_SECRET and JWT_SECRET_PREVIOUS (optional, for rotation).
Run: python3 -m uvicorn app:app --app-dir bench/peer-fastapi --host 127.0.0.1 --port 8790
"""

import base64
import json
import os
import re
import sqlite3
import sys
import time
import uuid
from datetime import datetime, timezone
from typing import Optional

import jwt
from fastapi import Depends, FastAPI, Header, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Extra, StrictBool, constr

ISSUER = "todo-site"
AUDIENCE = "todo-api"
MAX_LIFETIME_SECONDS = 30 * 60
CLOCK_SKEW_SECONDS = 60
MIN_SECRET_BYTES = 32
MAX_SUBJECT_LENGTH = 255
BEARER = re.compile(r"^Bearer +(\S+) *$", re.IGNORECASE)
CURSOR = re.compile(r"^s:([1-9]\d{0,15})$")
REALM = 'Bearer realm="todo-api"'

SECRETS = [
    secret
    for secret in (os.environ.get("JWT_SECRET", ""), os.environ.get("JWT_SECRET_PREVIOUS", ""))
    if len(secret.encode()) >= MIN_SECRET_BYTES
]

# One connection for the single-threaded event loop, autocommit. SQLite's defaults are kept:
# every write is durable on commit, as a D1 write is.
db = sqlite3.connect(os.environ["PEER_DB"], check_same_thread=False, isolation_level=None)

COLUMNS = "seq, id, title, description, completed, created_at, updated_at"


class Json(JSONResponse):
    media_type = "application/json; charset=utf-8"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers=None, fields=None):
        self.status, self.code, self.message = status, code, message
        self.headers, self.fields = headers or {}, fields


def unauthorized(token_presented: bool) -> ApiError:
    challenge = f'{REALM}, error="invalid_token"' if token_presented else REALM
    return ApiError(
        401, "unauthorized", "A valid bearer token is required", {"WWW-Authenticate": challenge}
    )


def is_numeric_date(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def verify_token(token: str) -> str:
    """The API's token rules; the reason for a refusal is never told to the client."""
    for secret in SECRETS:
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"], "verify_iat": False},
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError:
            raise unauthorized(True)
        sub, iat, exp = claims["sub"], claims["iat"], claims["exp"]
        if not isinstance(sub, str) or not 1 <= len(sub) <= MAX_SUBJECT_LENGTH:
            raise unauthorized(True)
        if not is_numeric_date(iat) or not is_numeric_date(exp):
            raise unauthorized(True)
        if exp - iat > MAX_LIFETIME_SECONDS or iat > time.time() + CLOCK_SKEW_SECONDS:
            raise unauthorized(True)
        return sub
    raise unauthorized(True)


async def current_user(authorization: Optional[str] = Header(None)) -> str:
    if not SECRETS:
        raise ApiError(500, "misconfigured", "The API is not configured to accept requests")
    match = BEARER.match(authorization or "")
    if not match:
        raise unauthorized(False)
    return verify_token(match[1])


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"s:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError:
        decoded = ""
    match = CURSOR.match(decoded)
    if not match:
        raise ApiError(
            400,
            "validation_error",
            "Invalid cursor",
            fields={"cursor": "is not a cursor this API issued"},
        )
    return int(match[1])


def to_todo(row) -> dict:
    _seq, todo_id, title, description, completed, created_at, updated_at = row
    return {
        "id": todo_id,
        "title": title,
        "description": description,
        "completed": bool(completed),
        "createdAt": created_at,
        "updatedAt": updated_at,
    }


class TodoCreate(BaseModel):
    title: constr(strip_whitespace=True, min_length=1, max_length=200)
    description: constr(max_length=2000) = ""
    completed: StrictBool = False

    class Config:
        extra = Extra.forbid


app = FastAPI(default_response_class=Json, openapi_url=None, docs_url=None, redoc_url=None)


@app.exception_handler(ApiError)
async def api_error(_request, error: ApiError):
    body = {"error": {"code": error.code, "message": error.message}}
    if error.fields:
        body["error"]["fields"] = error.fields
    return Json(body, status_code=error.status, headers=error.headers)


@app.exception_handler(RequestValidationError)
async def validation_error(_request, error: RequestValidationError):
    fields = {}
    for issue in error.errors():
        fields.setdefault(".".join(str(part) for part in issue["loc"][1:]) or "body", issue["msg"])
    message = f"Invalid {', '.join(fields)}"
    return await api_error(_request, ApiError(400, "validation_error", message, fields=fields))


@app.get("/health")
async def health():
    return {"status": "ok"}


@app.get("/api/me")
async def me(user_id: str = Depends(current_user)):
    return {"userId": user_id}


@app.get("/api/todos")
async def list_todos(
    user_id: str = Depends(current_user),
    status: str = Query("all", regex="^(all|active|completed)$"),
    limit: int = Query(50, ge=1, le=100),
    cursor: Optional[str] = Query(None, min_length=1),
):
    where, params = ["user_id = ?"], [user_id]
    if status != "all":
        where.append("completed = ?")
        params.append(1 if status == "completed" else 0)
    if cursor is not None:
        where.append("seq < ?")
        params.append(decode_cursor(cursor))
    rows = db.execute(
        f"SELECT {COLUMNS} FROM todos WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?",
        (*params, limit + 1),
    ).fetchall()
    page = rows[:limit]
    more = len(rows) > limit
    return {"items": [to_todo(row) for row in page], "nextCursor": encode_cursor(page[-1][0]) if more else None}


@app.post("/api/todos", status_code=201)
async def create_todo(todo: TodoCreate, user_id: str = Depends(current_user)):
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    row = db.execute(
        "INSERT INTO todos (id, user_id, title, description, completed, created_at, updated_at)"
        f" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}",
        (str(uuid.uuid4()), user_id, todo.title, todo.description, int(todo.completed), now, now),
    ).fetchone()
    created = to_todo(row)
    return Json(created, status_code=201, headers={"Location": f"/api/todos/{created['id']}"})


def with_headers_and_log(inner):
    """Pure ASGI middleware (cheaper than Starlette's): no-store on every response, one log line."""

    async def middleware(scope, receive, send):
        if scope["type"] != "http":
            return await inner(scope, receive, send)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"cache-control", b"no-store")]
            await send(message)

        await inner(scope, receive, send_with_headers)
        sys.stdout.write(
            json.dumps(
                {
                    "event": "request",
                    "requestId": str(uuid.uuid4()),
                    "method": scope["method"],
                    "route": getattr(scope.get("route"), "path", scope["path"]),
                    "status": status,
                    "durationMs": round((time.perf_counter() - started) * 1000, 2),
                }
            )
            + "\n"
        )

    return middleware


app = with_headers_and_log(app)
