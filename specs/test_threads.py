"""Specs of the lesson `threads`: threads that must not see each other's request (C2, C3, C4, C11).

Concurrency here is forced, never hoped for: barriers hold every request inside the view until
all of them are there, events order the steps, and every wait has a timeout so that a wrong
answer fails instead of hanging. Every server binds 127.0.0.1 on a free port and is stopped, and
every thread joined, before a spec ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import http.client
import json
import threading
import types
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import flask
import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.local import LocalProxy

from dojo.kit import KataError
from dojo.servers import LOOPBACK, RunningServer, running_server
from dojo.spec import check_prediction, expect, expect_equal, fail

exercise = pytest.mark.exercise
claim = pytest.mark.claim

WAIT = 5  # seconds: the longest any thread of a spec waits for another
CLIENTS = 8  # requests forced to overlap inside a view

# --- helpers: threads and servers that always end ---------------------------------------------


def in_threads(work: Callable[[int], object], count: int, barrier=None) -> list:
    """Run work(0) ... work(count - 1) in threads of their own; their results, in order.

    An error in one thread breaks the barrier, so that the others stop waiting, and is raised
    again in the spec's thread (a learner's stub first: its message says what to do).
    """
    results: list = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported in the spec's thread
            errors.append(error)
            if barrier is not None:
                barrier.abort()

    threads = [threading.Thread(target=run, args=(i,), name=f"spec-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    if errors:
        # a stub's message first, a broken barrier (a RuntimeError) only when nothing else
        errors.sort(key=lambda e: (not isinstance(e, KataError), isinstance(e, RuntimeError)))
        raise errors[0]
    if any(thread.is_alive() for thread in threads):  # pragma: no cover - only when broken
        pytest.fail(f"a thread was still running after {WAIT}s", pytrace=False)
    return results


def at_once(server: RunningServer, requests: list[tuple[str, dict]]) -> list:
    """Send every (path, headers) request on its own connection, all at the same time."""
    with ThreadPoolExecutor(len(requests), thread_name_prefix="spec-client") as clients:
        sent = [clients.submit(server.get, path, headers, WAIT) for path, headers in requests]
        return [outcome(future) for future in sent]


def outcome(future):
    try:
        return future.result()
    except OSError as error:
        return (None, {}, f"no answer: {type(error).__name__}: {error}".encode())


def thread_of_each_request(app: Flask) -> list[threading.Thread]:
    threads: list[threading.Thread] = []
    app.before_request(lambda: threads.append(threading.current_thread()))
    return threads


def json_of(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return body.decode(errors="replace")


def distinct(things: list) -> int:
    return len({id(thing) for thing in things})


# --- Exercise 1: global_race -----------------------------------------------------------------

shared_name = None  # the plain module global of the first experiment


def own_names_back(place: str) -> int:
    """8 overlapping requests store their name in `place`, wait for each other, read it back."""
    global shared_name
    app = Flask(__name__)
    everyone_stored = threading.Barrier(CLIENTS, timeout=WAIT)
    per_thread = threading.local()

    @app.get("/name")
    def name():
        global shared_name
        mine = flask.request.args["name"]
        if place == "module_global":
            shared_name = mine
        elif place == "threading_local":
            per_thread.name = mine
        everyone_stored.wait()
        if place == "module_global":
            return {"name": shared_name}
        if place == "threading_local":
            return {"name": per_thread.name}
        return {"name": flask.request.args["name"]}

    with running_server(app) as server:
        answers = at_once(server, [(f"/name?name=client{i}", {}) for i in range(CLIENTS)])
    shared_name = None
    statuses = [status for status, _, _ in answers]
    if statuses != [200] * CLIENTS:  # pragma: no cover - Flask and Werkzeug only
        pytest.fail(f"the observation failed: statuses {statuses}", pytrace=False)
    return sum(json_of(body) == {"name": f"client{i}"} for i, (_, _, body) in enumerate(answers))


@exercise("global_race")
@claim("C2")
@pytest.mark.parametrize("place", ["module_global", "threading_local", "flask_request"])
def test_overlapping_requests_and_a_shared_place(kata, place):
    check_prediction(
        kata,
        "OWN_NAME_BACK",
        own_names_back(place),
        "C2",
        f"8 requests held together in the view, name kept in {place}: how many got their own",
        key=place,
        why="every request writes before any reads; a module global keeps only the last write, "
        "while a thread-local or flask.request has one value per thread",
    )


# --- Exercise 2: context_local ---------------------------------------------------------------

# the names matter less than the mechanism: fewer examples keep the lesson quick
mechanism_examples = settings(max_examples=20)
attribute_names = st.from_regex(r"[a-z][a-z0-9_]{0,9}", fullmatch=True).filter(
    lambda name: name != "release"
)
any_values = (
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.lists(st.integers())
)


def new_local(kata):
    return kata.ContextLocal()


@exercise("context_local")
@claim("C3")
@mechanism_examples
@given(values=st.dictionaries(attribute_names, any_values, min_size=1, max_size=5))
def test_a_value_reads_back_where_it_was_set(kata, values):
    local = new_local(kata)
    for name, value in values.items():
        setattr(local, name, value)
    got = {name: getattr(local, name) for name in values}
    expect_equal(got, values, "C3", "each attribute read back right after it was set")
    name = next(iter(values))
    setattr(local, name, "changed")
    expect_equal(getattr(local, name), "changed", "C3", f"{name} after it was set again")


@exercise("context_local")
@claim("C3")
@mechanism_examples
@given(name=attribute_names)
def test_a_missing_name_is_an_attribute_error_naming_it(kata, name):
    local = new_local(kata)
    for step, attempt in [
        ("reading a name never set", lambda: getattr(local, name)),
        ("deleting a name never set", lambda: delattr(local, name)),
    ]:
        try:
            attempt()
        except AttributeError as error:
            expect(name in str(error), "C3", f"{step}: the message must name {name!r}", got=error)
        except Exception as error:  # noqa: BLE001 - any other exception is the learner's mistake
            fail(
                "C3",
                f"{step} ({name!r}) must raise AttributeError",
                got=f"{type(error).__name__}: {error}",
                why="hasattr() and getattr(local, name, default) catch AttributeError only",
            )
        else:
            fail("C3", f"{step} ({name!r}) must raise AttributeError", got="no error")
    setattr(local, name, 1)
    delattr(local, name)
    expect(
        not hasattr(local, name),
        "C3",
        f"after `del local.{name}` the name must be missing again",
        got=getattr(local, name, None),
    )


@exercise("context_local")
@claim("C3")
def test_threads_do_not_see_each_others_values(kata):
    local = new_local(kata)
    local.value = "the spec's thread"
    everyone_set = threading.Barrier(CLIENTS, timeout=WAIT)

    def work(index: int):
        found = getattr(local, "value", None)
        local.value = index
        everyone_set.wait()
        return found, local.value

    results = in_threads(work, CLIENTS, everyone_set)
    expect_equal(
        results,
        [(None, i) for i in range(CLIENTS)],
        "C3",
        "per thread: (what it found before setting, what it read after all 8 had set)",
        why="a new thread starts with nothing, and each keeps its own value",
    )
    expect_equal(local.value, "the spec's thread", "C3", "the spec's own value after the threads")


async def tasks_set_and_read(local, count: int) -> list:
    everyone_set = asyncio.Event()
    done = []

    async def task(index: int):
        local.value = index
        done.append(index)
        if len(done) == count:
            everyone_set.set()
        await asyncio.wait_for(everyone_set.wait(), WAIT)
        return local.value

    return list(await asyncio.gather(*(task(i) for i in range(count))))


@exercise("context_local")
@claim("C3")
def test_asyncio_tasks_do_not_see_each_others_values(kata):
    local = new_local(kata)
    results = asyncio.run(tasks_set_and_read(local, CLIENTS))
    expect_equal(
        results,
        list(range(CLIENTS)),
        "C3",
        "what each of 8 tasks on one thread read after all had set their own",
        why="tasks share a thread, so per-thread storage mixes them up; contextvars does not",
    )


@exercise("context_local")
@claim("C3")
def test_a_task_inherits_values_but_cannot_change_them_for_its_creator(kata):
    local = new_local(kata)

    async def child():
        found = getattr(local, "value", None)
        local.value = "set by the task"
        local.other = "also set by the task"
        return found

    async def parent():
        local.value = "set before the task"
        found = await asyncio.create_task(child())
        return found, local.value, getattr(local, "other", None)

    expect_equal(
        asyncio.run(parent()),
        ("set before the task", "set before the task", None),
        "C3",
        "(what the task found, the creator's value after the task, a name only the task set)",
        why="a task starts with a copy of its creator's context; change a stored dict in place "
        "and the copy shares it - replace it instead",
    )


@exercise("context_local")
@claim("C3")
def test_release_forgets_only_the_current_threads_values(kata):
    local = new_local(kata)
    local.first, local.second = 1, 2
    other_set, released = threading.Event(), threading.Event()

    def other(_):
        local.first = "other thread"
        other_set.set()
        released.wait(WAIT)
        return getattr(local, "first", None)

    def release_elsewhere() -> None:
        try:
            other_set.wait(WAIT)
            local.release()
        finally:
            released.set()

    with ThreadPoolExecutor(1, thread_name_prefix="spec-releaser") as helper:
        releasing = helper.submit(release_elsewhere)
        (kept_by_other,) = in_threads(other, 1)
        releasing.result(WAIT)
    # release ran in the helper thread: the spec's thread still has its values
    expect_equal(
        kept_by_other,
        "other thread",
        "C3",
        "another thread's value after a release",
        why="release() forgets the values of the current thread or task only",
    )
    expect_equal((local.first, local.second), (1, 2), "C3", "this thread's values")
    local.release()
    left = [name for name in ("first", "second") if hasattr(local, name)]
    expect_equal(left, [], "C3", "names still set after release() in the same thread")
    local.first = "again"
    expect_equal(local.first, "again", "C3", "a name set again after release()")


@exercise("context_local")
@claim("C3")
def test_two_context_locals_share_nothing(kata):
    one, other = new_local(kata), new_local(kata)
    one.value = "one"
    expect(
        not hasattr(other, "value"),
        "C3",
        "a value set on one ContextLocal must not appear on another",
        got=getattr(other, "value", None),
    )
    other.release()
    expect_equal(one.value, "one", "C3", "a value after another ContextLocal was released")


# --- Exercise 3: proxy -----------------------------------------------------------------------


def proxy_over(kata, first: object) -> tuple[object, contextvars.ContextVar]:
    current = contextvars.ContextVar("spec-current")
    current.set(first)
    return kata.ContextProxy(current.get), current


def used(what: str, use: Callable[[], object], why: str) -> object:
    """What one use of the proxy gives; an exception it raises fails the spec, saying which use."""
    try:
        return use()
    except Exception as error:  # noqa: BLE001 - any exception of the learner's proxy is reported
        fail("C3", f"{what} raised {type(error).__name__}: {error}", why=why)


SPECIAL_WHY = (
    "Python looks special methods ({}) up on the class, never through __getattr__: the proxy's "
    "own must forward to _get_current_object()"
)
ITEM_WHY = "proxy[key] must give the current object's item, exactly as current[key] would"


@exercise("proxy")
@claim("C3")
def test_attributes_come_from_the_current_object(kata):
    first, second = types.SimpleNamespace(colour="teal"), types.SimpleNamespace(colour="ochre")
    proxy, current = proxy_over(kata, first)
    expect_equal(proxy.colour, "teal", "C3", "proxy.colour")
    current.set(second)
    expect_equal(
        proxy.colour,
        "ochre",
        "C3",
        "proxy.colour after the current object changed",
        why="a proxy looks the object up on every use; it keeps nothing",
    )
    expect(
        proxy._get_current_object() is second,
        "C3",
        "_get_current_object() must return the current object itself",
        got=proxy._get_current_object(),
    )


@exercise("proxy")
@claim("C3")
def test_items_come_from_the_current_object(kata):
    mapping = {"colour": "teal", 0: None, (): []}
    proxy, current = proxy_over(kata, mapping)
    for key, value in mapping.items():
        what = f"proxy[{key!r}] over {mapping!r}"
        expect_equal(
            used(what, lambda key=key: proxy[key], ITEM_WHY), value, "C3", what, why=ITEM_WHY
        )
    current.set(["first", "second"])
    what = "proxy[1] after the object became a list"
    expect_equal(used(what, lambda: proxy[1], ITEM_WHY), "second", "C3", what, why=ITEM_WHY)


@exercise("proxy")
@claim("C3")
def test_calls_go_to_the_current_object(kata):
    proxy, current = proxy_over(kata, lambda *args, **kwargs: ("first", args, kwargs))
    expect_equal(proxy(1, 2, k=3), ("first", (1, 2), {"k": 3}), "C3", "proxy(1, 2, k=3)")
    current.set(lambda *args, **kwargs: ("second", args, kwargs))
    expect_equal(proxy(), ("second", (), {}), "C3", "proxy() after the current object changed")


# falsy and truthy objects of several types, some equal to each other (0 == False, 1 == True)
SAMPLES = [None, False, True, 0, 1, 2.5, "", "teal", [], [0], {}, {"a": 1}, (), ("x",)]


@exercise("proxy")
@claim("C3")
@pytest.mark.parametrize("value", SAMPLES, ids=repr)
def test_bool_equality_and_repr_are_the_current_objects(kata, value):
    proxy, _ = proxy_over(kata, value)
    why_bool, why_eq = SPECIAL_WHY.format("__bool__"), SPECIAL_WHY.format("__eq__")
    what = f"bool(proxy) over {value!r}"
    expect_equal(used(what, lambda: bool(proxy), why_bool), bool(value), "C3", what, why=why_bool)
    what = f"proxy == {value!r}, the object it stands for"
    expect(bool(used(what, lambda: proxy == value, why_eq)), "C3", what, got=False, why=why_eq)
    why_compared = "proxy == other and proxy != other must give what current == other gives"
    for other in SAMPLES:
        for shown, compared, truth in [
            ("==", proxy == other, value == other),
            ("!=", proxy != other, value != other),
        ]:
            what = f"proxy over {value!r} {shown} {other!r}"
            expect_equal(compared, truth, "C3", what, why=why_compared)
    why_repr = SPECIAL_WHY.format("__repr__")
    what = f"repr(proxy) over {value!r}"
    expect_equal(used(what, lambda: repr(proxy), why_repr), repr(value), "C3", what, why=why_repr)


@exercise("proxy")
@claim("C3")
def test_one_proxy_stands_for_a_different_object_in_each_thread(kata):
    current = contextvars.ContextVar("spec-current")
    current.set(types.SimpleNamespace(owner="the spec's thread"))
    proxy = kata.ContextProxy(current.get)
    everyone_set = threading.Barrier(CLIENTS, timeout=WAIT)

    def work(index: int):
        current.set(types.SimpleNamespace(owner=index))
        everyone_set.wait()
        return proxy.owner

    expect_equal(
        in_threads(work, CLIENTS, everyone_set),
        list(range(CLIENTS)),
        "C3",
        "proxy.owner read by each of 8 threads, after all had set their own object",
        why="like flask.request: one module-level proxy, one current object per thread",
    )


# --- Exercise 4: isolated_view ---------------------------------------------------------------


@exercise("isolated_view")
@claim("C2")
def test_eight_overlapping_requests_each_get_their_own(kata):
    everyone_inside = threading.Barrier(CLIENTS, timeout=WAIT)
    waited: list[int] = []

    def wait() -> None:
        waited.append(1)
        everyone_inside.wait()

    app = kata.create_whoami_app(wait)
    expect(isinstance(app, Flask), "C2", "create_whoami_app must return a Flask app", got=app)
    raised: list[BaseException] = []

    def on_teardown(error: BaseException | None) -> None:
        # a view that fails lets the others go at once, instead of after the barrier's timeout
        if error is not None:
            raised.append(error)
            everyone_inside.abort()

    app.teardown_request(on_teardown)
    threads = thread_of_each_request(app)
    names = [f"client-{i}-é" for i in range(CLIENTS)]
    agents = [f"agent-{(i * 3) % CLIENTS}" for i in range(CLIENTS)]
    requests = [
        (f"/whoami?name=client-{i}-%C3%A9", {"X-Client": agents[i]}) for i in range(CLIENTS)
    ]
    with running_server(app) as server:
        answers = at_once(server, requests)
    own = [error for error in raised if not isinstance(error, threading.BrokenBarrierError)]
    if own:
        fail(
            "C2",
            f"GET /whoami raised {type(own[0]).__name__}: {own[0]}",
            why="the view failed, so the server answered 500",
        )
    expect_equal(len(waited), CLIENTS, "C2", "calls of wait(), one per request")
    expect(
        not raised,
        "C2",
        f"the 8 requests were never inside the view together: wait() gave up after {WAIT} s",
        why="a threaded server runs them at the same time; does the view let in one request at "
        "a time (a lock), or hold up the others?",
    )
    expect_equal(distinct(threads), CLIENTS, "C2", "threads that served the 8 requests")
    for (status, _, body), name, agent in zip(answers, names, agents, strict=True):
        expect_equal(status, 200, "C2", f"the status of GET /whoami?name={name}", why=f"{body!r}")
        expect_equal(
            json_of(body),
            {"name": name, "client": agent},
            "C2",
            f"the answer to {name} (X-Client: {agent}), sent while 7 others were in the view",
            why="request is one name for all threads, yet each thread reads its own request",
        )


# --- Exercise 5: thread_per_request ----------------------------------------------------------


def dev_server_threads(case: str) -> int:
    app = Flask(__name__)
    threads = thread_of_each_request(app)
    app.get("/")(lambda: "")
    with running_server(app) as server:
        if case == "eight_connections":
            for _ in range(CLIENTS):
                server.get("/", timeout=WAIT)
        else:  # one client asking for keep-alive (HTTP/1.1) on every request
            client = http.client.HTTPConnection(server.host, server.port, timeout=WAIT)
            try:
                for _ in range(CLIENTS):
                    client.request("GET", "/")
                    client.getresponse().read()
            finally:
                client.close()
    return distinct(threads)


@exercise("thread_per_request")
@claim("C4")
@pytest.mark.parametrize("case", ["eight_connections", "one_kept_alive_client"])
def test_the_development_server_keeps_no_pool(kata, case):
    check_prediction(
        kata,
        "DEV_SERVER_THREADS",
        dev_server_threads(case),
        "C4",
        f"different threads for 8 requests one after another ({case})",
        key=case,
        why="Werkzeug's server starts a new thread for each connection, and closes the "
        "connection after every response (Connection: close)",
    )


def what_the_next_request_finds(place: str) -> object:
    """Two requests, one after the other, on a pool of one thread (as in gunicorn's gthread)."""
    app = Flask(__name__)
    app.testing = True
    per_thread = threading.local()
    variable: contextvars.ContextVar = contextvars.ContextVar("spec-mark")

    @app.get("/mark/<mark>")
    def mark(mark):
        found = {
            "threading_local": getattr(per_thread, "mark", None),
            "context_var": variable.get(None),
            "flask_g": flask.g.get("mark"),
        }
        per_thread.mark = mark
        variable.set(mark)
        flask.g.mark = mark
        return found

    with ThreadPoolExecutor(1, thread_name_prefix="spec-pool") as pool:
        pool.submit(app.test_client().get, "/mark/earlier").result(WAIT)
        found = pool.submit(app.test_client().get, "/mark/later").result(WAIT).json[place]
    return found


@exercise("thread_per_request")
@claim("C4")
@pytest.mark.parametrize("place", ["threading_local", "context_var", "flask_g"])
def test_what_a_pooled_thread_carries_into_the_next_request(kata, place):
    check_prediction(
        kata,
        "NEXT_REQUEST_FINDS",
        what_the_next_request_finds(place),
        "C4",
        f"what the next request on the same pooled thread finds in {place}",
        key=place,
        why="a pooled thread lives on after its request; Flask resets the context variables it "
        "set, but not what the app itself left in the thread",
    )


# --- Exercise 6: thread_pool -----------------------------------------------------------------


@dataclass
class Pooled:
    server: RunningServer
    left_running: list[str] = field(default_factory=list)  # filled once the server is closed


@contextlib.contextmanager
def pooled(kata, app: Flask, workers: int) -> Iterator[Pooled]:
    """The learner's PooledWSGIServer, serving in a thread; stopped and closed on the way out."""
    before = set(threading.enumerate())
    server = kata.PooledWSGIServer(LOOPBACK, 0, app, workers)
    errors: list[BaseException] = []

    def loop() -> None:
        try:
            # a short poll, as dojo's running_server uses: shutdown() waits for the next look
            server.serve_forever(poll_interval=0.01)
        except BaseException as error:  # noqa: BLE001 - raised again in the spec's thread
            errors.append(error)

    thread = threading.Thread(target=loop, name="spec-pooled-server")
    thread.start()
    handle = Pooled(RunningServer(server, LOOPBACK, server.server_address[1]))
    try:
        yield handle
    finally:
        server.shutdown()
        thread.join(WAIT)
        server.server_close()
        left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        handle.left_running.extend(sorted(t.name for t in left))
        # a pool that server_close() forgot is shut down here, so that no thread outlives the spec
        for value in vars(server).values():
            if isinstance(value, ThreadPoolExecutor):
                value.shutdown(wait=True)
        if errors:
            raise errors[0]


def served_app() -> tuple[Flask, list[threading.Thread], list[tuple]]:
    app = Flask(__name__)
    threads = thread_of_each_request(app)
    found: list[tuple] = []

    @app.get("/mark/<mark>")
    def mark(mark):
        found.append((flask.g.get("mark"), flask.request.view_args["mark"]))
        flask.g.mark = mark
        return mark

    return app, threads, found


@exercise("thread_pool")
@claim("C4")
def test_a_pool_of_two_serves_eight_requests_on_two_threads(kata):
    app, threads, _ = served_app()
    with pooled(kata, app, workers=2) as running:
        answers = [running.server.get(f"/mark/{i}", timeout=WAIT) for i in range(CLIENTS)]
    expect_equal(
        [(status, body) for status, _, body in answers],
        [(200, str(i).encode()) for i in range(CLIENTS)],
        "C4",
        "(status, body) of 8 requests one after another",
    )
    expect(
        1 <= distinct(threads) <= 2,
        "C4",
        "8 requests on a pool of 2 must be served by at most 2 threads, reused",
        got=sorted({thread.name for thread in threads}),
    )
    expect(
        not any(thread.name == "spec-pooled-server" for thread in threads),
        "C4",
        "process_request must hand the connection to the pool, not serve it itself",
    )


@exercise("thread_pool")
@claim("C4")
def test_the_pooled_threads_serve_at_the_same_time(kata):
    workers = 4
    everyone_inside = threading.Barrier(workers, timeout=WAIT)
    app = Flask(__name__)

    @app.get("/")
    def together():
        try:
            everyone_inside.wait()
        except threading.BrokenBarrierError:
            return "the requests were never inside the view together", 503
        return ""

    with pooled(kata, app, workers=workers) as running:
        statuses = [status for status, _, _ in at_once(running.server, [("/", {})] * workers)]
    expect_equal(
        statuses,
        [200] * workers,
        "C4",
        f"{workers} requests held together in the view on a pool of {workers}",
        why="all must be inside the view at once; 503 means they never were, and None that no "
        f"answer came within {WAIT} s: is the pool serving one connection at a time?",
    )


@exercise("thread_pool")
@claim("C4")
def test_the_app_is_told_that_requests_may_overlap(kata):
    app = Flask(__name__)

    @app.get("/")
    def multithread_flag():
        return str(flask.request.is_multithread)

    with pooled(kata, app, workers=2) as running:
        status, _, body = running.server.get("/", timeout=WAIT)
    expect_equal(
        (status, body),
        (200, b"True"),
        "C4",
        'GET / answering request.is_multithread (environ["wsgi.multithread"])',
        why="a server that runs requests on several threads says so in the environ, so that "
        "an app can protect what its requests share; keep the class's multithread = True",
    )


@exercise("thread_pool")
@claim("C4")
def test_nothing_of_a_request_reaches_the_next_on_the_same_thread(kata):
    app, threads, found = served_app()
    with pooled(kata, app, workers=1) as running:
        for i in range(CLIENTS):
            running.server.get(f"/mark/{i}", timeout=WAIT)
    expect_equal(distinct(threads), 1, "C4", "threads in a pool of one that served 8 requests")
    expect_equal(
        found,
        [(None, str(i)) for i in range(CLIENTS)],
        "C4",
        "per request: (g.mark left by the request before, its own URL argument)",
        why="the thread is reused, yet Flask pops the contexts after each request",
    )


@exercise("thread_pool")
@claim("C4")
def test_closing_the_server_waits_for_its_threads(kata):
    app, threads, _ = served_app()
    with pooled(kata, app, workers=3) as running:
        at_once(running.server, [(f"/mark/{i}", {}) for i in range(3)])
        listening = running.server.server.socket
    expect_equal(
        running.left_running,
        [],
        "C4",
        "threads still running after server_close()",
        why="server_close() must wait until every pooled thread has finished",
    )
    expect_equal(listening.fileno(), -1, "C4", "the listening socket after server_close()")


# --- Exercise 7: naive_thread ----------------------------------------------------------------


def touch_in_a_new_thread(what: str) -> object:
    """A view starts a thread that touches `what`; None if that works, else what it raised."""
    app = Flask(__name__)
    outcomes: list = []

    def touch(handed) -> None:
        try:
            if what == "current_app":
                _ = flask.current_app.name
            elif what == "request":
                _ = flask.request.args
            else:
                _ = handed.args
        except Exception as error:  # noqa: BLE001 - the exception is the observation
            outcomes.append((type(error), str(error).splitlines()[0]))
        else:
            outcomes.append(None)

    @app.get("/")
    def view():
        handed = flask.request
        if what == "real_request_passed":
            handed = flask.request._get_current_object()
        thread = threading.Thread(target=touch, args=(handed,))
        thread.start()
        thread.join(WAIT)
        return ""

    app.test_client().get("/?colour=teal")
    return outcomes[0]


@exercise("naive_thread")
@claim("C11")
@pytest.mark.parametrize(
    "what", ["request", "current_app", "request_passed_as_argument", "real_request_passed"]
)
def test_what_a_thread_started_by_a_view_can_touch(kata, what):
    check_prediction(
        kata,
        "IN_A_NEW_THREAD",
        touch_in_a_new_thread(what),
        "C11",
        f"touching {what} in a thread the view started",
        key=what,
        why="a new thread starts with an empty context; a proxy handed over looks up the "
        "current request of the thread that uses it, and there is none",
    )


# --- Exercise 8: hand_over -------------------------------------------------------------------


class Jobs:
    """The two jobs a learner's views run in a thread; they report instead of raising."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []

    def needs_context(self) -> str:
        self.threads.append(threading.current_thread())
        try:
            return f"{flask.current_app.name} saw {flask.request.args['name']}"
        except RuntimeError as error:
            return f"RuntimeError: {str(error).splitlines()[0]}"

    def needs_objects(self, app, request) -> str:
        self.threads.append(threading.current_thread())
        proxies = [n for n, o in [("app", app), ("request", request)] if type(o) is LocalProxy]
        if proxies:
            return f"got the proxy of {' and '.join(proxies)}, not the real object"
        try:
            return f"{app.name} saw {request.args['name']}"
        except RuntimeError as error:  # pragma: no cover - a real object never raises this
            return f"RuntimeError: {str(error).splitlines()[0]}"

    def join(self) -> None:
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join(WAIT)


def hand_over(kata, path: str) -> None:
    jobs = Jobs()
    app = kata.create_handover_app(jobs.needs_context, jobs.needs_objects)
    expect(isinstance(app, Flask), "C11", "create_handover_app must return a Flask app", got=app)
    app.testing = True
    views = thread_of_each_request(app)
    try:
        response = app.test_client().get(f"{path}?name=teal")
    finally:
        jobs.join()
    expect_equal(response.status_code, 200, "C11", f"the status of GET {path}")
    expect_equal(
        response.json,
        {"result": f"{app.name} saw teal"},
        "C11",
        f"GET {path}?name=teal: what the job in the thread returned",
    )
    expect(
        len(jobs.threads) == 1 and not any(jobs.threads[0] is view for view in views),
        "C11",
        "the job must run once, in a thread of its own, not in the view's thread",
        got=[thread.name for thread in jobs.threads],
    )


@exercise("hand_over")
@claim("C11")
def test_a_thread_given_the_views_context_reads_request(kata):
    hand_over(kata, "/copied")


@exercise("hand_over")
@claim("C11")
def test_a_thread_given_the_real_objects_reads_them(kata):
    hand_over(kata, "/handed")
