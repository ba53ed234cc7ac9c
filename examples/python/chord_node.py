#!/usr/bin/env python3
"""A Chord node in Python, standard library only: Parts 1-3 of the lab handout (the node API, the
LINEAR findNode, JOIN with the four rewiring PUTs, STORE and LOOKUP), plus the monitor's /content and
content passing on JOIN. Same routes, bodies, errors and command line as chord-lab's nodes, so the
grader, make monitor, make check and make web read it like any other node:

    python3 examples/python/chord_node.py --host 127.0.0.1 --port 5000 [--join host:port] [--bits M] [--secret-file F]

A node owns the keys from its own id up to (not including) its successor's id.
"""
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TIMEOUT_S = 2.0
MAX_HOPS = 1024
MAX_VALUE_BYTES = 64 * 1024
MAX_BODY_BYTES = 8 * 1024 * 1024
HOST_CHARS = set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-:[]')


class LabError(Exception):
    """An error answered as {error, code} with its HTTP status."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code = status, code


def bad(message):
    return LabError(400, 'BAD_REQUEST', message)


def read_flags(argv):
    """--name value or --name=value; flags this node does not use are ignored; --join with no value: a new ring."""
    flags, i = {}, 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith('--'):
            name, eq, value = arg[2:].partition('=')
            if not eq and i + 1 < len(argv) and not argv[i + 1].startswith('--'):
                i += 1
                value = argv[i]
            flags[name] = value
        i += 1
    return flags


FLAGS = read_flags(sys.argv[1:])
HOST = FLAGS.get('host') or '127.0.0.1'
PORT = int(FLAGS.get('port') or 0)
BITS = int(FLAGS.get('bits') or 160)
JOIN = FLAGS.get('join') or ''
SIZE = 2 ** BITS
HEX_DIGITS = (BITS + 3) // 4
SECRET = ''

# ---- ids on the ring and the wire format


def hash_id(text):
    """SHA-1 reduced to the ring's 2^BITS ids: a node's id is hash("host:port"), a value's key hash(value)."""
    return int(hashlib.sha1(text.encode('utf-8')).hexdigest(), 16) % SIZE


def hex_id(i):
    return format(i, 'x').rjust(HEX_DIGITS, '0')


def distance(a, b):
    """How far you walk clockwise from a to b."""
    return (b - a) % SIZE


def in_range(x, start, end):
    """x in [start, end) going clockwise; [a, a) is the whole ring, so a node alone owns every key."""
    return start == end or distance(start, x) < distance(start, end)


def node_json(node):
    return {'id': hex_id(node['id']), 'host': node['host'], 'port': node['port']}


def parse_id(value, field):
    try:
        ok = isinstance(value, str) and 0 < len(value) <= HEX_DIGITS and int(value, 16) < SIZE
    except ValueError:
        ok = False
    if not ok:
        raise bad(f'{field} must be a hex id of at most {HEX_DIGITS} digits below 2^{BITS}')
    return int(value, 16)


def parse_node(value, field):
    """A node from the wire; its id must be the hash of its address."""
    if not isinstance(value, dict):
        raise bad(f'{field} must be a node {{ id, host, port }}')
    host, port = value.get('host'), value.get('port')
    if not isinstance(host, str) or not 0 < len(host) <= 253 or not set(host) <= HOST_CHARS:
        raise bad(f'{field}.host must be a host name or address')
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise bad(f'{field}.port must be an integer from 1 to 65535')
    node = {'id': hash_id(f'{host}:{port}'), 'host': host, 'port': port}
    if 'id' in value and parse_id(value['id'], f'{field}.id') != node['id']:
        raise bad(f'{field}.id does not match the hash of {host}:{port}')
    return node


def parse_value(value, field):
    if not isinstance(value, str) or value == '':
        raise bad(f'{field} must be a non-empty string')
    if len(value.encode('utf-8')) > MAX_VALUE_BYTES:
        raise LabError(413, 'PAYLOAD_TOO_LARGE', f'{field} is larger than {MAX_VALUE_BYTES} bytes')
    return value


def parse_entries(value, field):
    if not isinstance(value, list):
        raise bad(f'{field} must be an array of {{ key, value }}')
    entries = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise bad(f'{field}[{i}] must be {{ key, value }}')
        entries.append((parse_id(item.get('key'), f'{field}[{i}].key'), parse_value(item.get('value'), f'{field}[{i}].value')))
    return entries


def call(to, method, path, body=None):
    """One request to another node (or ourselves): its JSON answer, or its {error, code} as a LabError."""
    where = f"{method} {to['host']}:{to['port']}{path.split('?')[0]}"
    headers = {'content-type': 'application/json'}
    if SECRET:
        headers['authorization'] = f'Bearer {SECRET}'
    data = None if body is None else json.dumps(body).encode('utf-8')
    request = urllib.request.Request(f"http://{to['host']}:{to['port']}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return json.loads(response.read() or b'{}')
    except urllib.error.HTTPError as error:
        try:
            reply = json.loads(error.read() or b'{}')
        except ValueError:
            reply = {}
        raise LabError(error.code, reply.get('code', 'PEER_ERROR'), f"{where}: {reply.get('error', error.code)}")
    except (urllib.error.URLError, OSError) as error:
        timed_out = 'timed out' in str(error)
        raise LabError(504 if timed_out else 502, 'PEER_TIMEOUT' if timed_out else 'PEER_UNREACHABLE', f'{where}: {error}')


# ---- Part 1: a node and its API

self_node = {'id': 0, 'host': HOST, 'port': PORT}
predecessor = None
successor = self_node
store = {}  # key -> list of values (a set: different values may share a key)
lock = threading.Lock()


def node_info():
    with lock:
        values = sum(len(v) for v in store.values())
        keys = len(store)
    # No finger table: routing is linear. Finger 0 (the first node after self + 1) is always the successor.
    fingers = [{'index': 0, 'start': hex_id((self_node['id'] + 1) % SIZE), 'node': node_json(successor)}]
    return {**node_json(self_node), 'status': 'ready', 'predecessor': predecessor and node_json(predecessor),
            'successor': node_json(successor), 'successors': [node_json(successor)], 'fingers': fingers, 'keys': keys,
            'values': values, 'tombstones': 0, 'bits': BITS, 'replicas': 1, 'routeMode': 'linear', 'pid': os.getpid(),
            'impl': 'python'}


# ---- Part 2: the LINEAR findNode and JOIN


def successor_of(node):
    """Our own successor, or another node's from its GET /nodeinfo."""
    if node['id'] == self_node['id']:
        return successor
    return parse_node(call(node, 'GET', '/nodeinfo').get('successor'), 'successor')


def find_node(key):
    """findNode(key): walk successor by successor until a node's range [node, successor) holds the key."""
    path, current = [self_node], self_node
    after = successor_of(current)
    while not in_range(key, current['id'], after['id']):
        if len(path) > MAX_HOPS:
            raise LabError(502, 'ROUTE_FAILED', f'findNode({hex_id(key)}) took more than {MAX_HOPS} hops')
        current = after
        after = successor_of(current)
        path.append(current)
    return {'node': current, 'successor': after, 'hops': len(path) - 1, 'path': path}


def join(joiner):
    """POST /join: the owner of the joiner's id becomes its predecessor; four PUTs rewire; its keys move."""
    route = find_node(joiner['id'])
    pred, succ = route['node'], route['successor']
    if pred['id'] == joiner['id']:
        raise LabError(409, 'ID_TAKEN', f"id {hex_id(joiner['id'])} of {joiner['host']}:{joiner['port']} is already taken")
    call(joiner, 'PUT', '/predecessor', node_json(pred))
    call(joiner, 'PUT', '/successor', node_json(succ))
    call(pred, 'PUT', '/successor', node_json(joiner))
    call(succ, 'PUT', '/predecessor', node_json(joiner))
    # Content passing: the values of [joiner, successor) move from the predecessor to the joiner.
    held = parse_entries(call(pred, 'GET', '/content').get('entries'), 'entries')
    moving = [(k, v) for k, v in held if in_range(k, joiner['id'], succ['id'])]
    if moving:
        call(joiner, 'POST', '/insert', {'entries': [{'key': hex_id(k), 'value': v} for k, v in moving]})
        for k, v in moving:
            call(pred, 'DELETE', f'/delete?key={hex_id(k)}&value={urllib.parse.quote(v)}')
    return {'predecessor': node_json(pred), 'successor': node_json(succ)}


# ---- Part 3: STORE and LOOKUP


def value_reply(key, value, route):
    return {'key': hex_id(key), 'value': value, 'node': node_json(route['node']), 'hops': route['hops'],
            'path': [node_json(n) for n in route['path']]}


def store_value(value):
    """STORE: find the owner of hash(value), insert there."""
    key = hash_id(value)
    route = find_node(key)
    call(route['node'], 'POST', '/insert', {'entries': [{'key': hex_id(key), 'value': value}]})
    return value_reply(key, value, route)


def lookup_value(value):
    """LOOKUP: find the owner of hash(value), ask it for the key's values."""
    key = hash_id(value)
    route = find_node(key)
    found = call(route['node'], 'GET', f'/get?key={hex_id(key)}')
    if value not in (found.get('values') or []):
        raise LabError(404, 'NOT_FOUND', f'"{value[:40]}" is not stored (key {hex_id(key)}, owner @{route["node"]["port"]})')
    return value_reply(key, value, route)


def insert(entries):
    added = 0
    with lock:
        for key, value in entries:
            values = store.setdefault(key, [])
            if value not in values:
                values.append(value)
                added += 1
    return added


def get_values(key):
    with lock:
        return {'key': hex_id(key), 'values': list(store.get(key, []))}


def remove(key, value):
    """delete, on the predecessor during content passing: the value (or every value of the key)."""
    with lock:
        values = store.get(key, [])
        kept = [] if value is None else [v for v in values if v != value]
        if kept:
            store[key] = kept
        else:
            store.pop(key, None)
    return {'key': hex_id(key), 'deleted': len(values) - len(kept)}


def content():
    with lock:
        entries = [{'key': hex_id(k), 'value': v} for k in sorted(store) for v in store[k]]
    return {'node': node_json(self_node), 'count': len(entries), 'entries': entries}


# ---- The node API


def set_predecessor(body):
    global predecessor
    node = None if body is None else parse_node(body, 'body')
    predecessor = node if node and node['id'] != self_node['id'] else None
    return {'predecessor': predecessor and node_json(predecessor)}


def set_successor(body):
    global successor
    successor = parse_node(body, 'body')
    return {'successor': node_json(successor)}


def find_node_reply(query):
    key = parse_id(query.get('id'), 'id')
    if query.get('mode') not in (None, 'linear', 'fingers'):
        raise bad('mode must be linear or fingers')
    route = find_node(key)
    return {'id': hex_id(key), 'mode': 'linear', 'node': node_json(route['node']), 'successor': node_json(route['successor']),
            'hops': route['hops'], 'path': [node_json(n) for n in route['path']]}


def body_field(body, name):
    return body.get(name) if isinstance(body, dict) else None


ROUTES = {
    '/nodeinfo': {'GET': lambda q, b: (200, node_info())},
    '/predecessor': {'GET': lambda q, b: (200, {'predecessor': predecessor and node_json(predecessor)}),
                     'PUT': lambda q, b: (200, set_predecessor(b))},
    '/successor': {'GET': lambda q, b: (200, {'successor': node_json(successor)}), 'PUT': lambda q, b: (200, set_successor(b))},
    '/findnode': {'GET': lambda q, b: (200, find_node_reply(q))},
    '/join': {'POST': lambda q, b: (200, join(parse_node(b, 'body')))},
    '/store': {'POST': lambda q, b: (201, store_value(parse_value(body_field(b, 'value'), 'value')))},
    '/insert': {'POST': lambda q, b: (200, {'inserted': insert(parse_entries(body_field(b, 'entries'), 'entries'))})},
    '/lookup': {'GET': lambda q, b: (200, lookup_value(parse_value(q.get('value'), 'value')))},
    '/get': {'GET': lambda q, b: (200, get_values(parse_id(q.get('key'), 'key')))},
    '/content': {'GET': lambda q, b: (200, content())},
    '/delete': {'DELETE': lambda q, b: (200, remove(parse_id(q.get('key'), 'key'), q.get('value')))},
}


class Handler(BaseHTTPRequestHandler):
    def handle_any(self):
        try:
            url = urllib.parse.urlsplit(self.path)
            query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
            length = self.headers.get('content-length') or '0'
            size = int(length) if length.isdigit() else -1
            if size < 0:
                raise bad('content-length must be a whole number')
            if size > MAX_BODY_BYTES:
                raise LabError(413, 'PAYLOAD_TOO_LARGE', f'body is larger than {MAX_BODY_BYTES} bytes')
            raw = self.rfile.read(size) if size > 0 else b''
            route = ROUTES.get(url.path)
            if route is None:
                raise LabError(404, 'UNKNOWN_ROUTE', f'no route {url.path}')
            if self.command not in route:
                raise LabError(405, 'METHOD_NOT_ALLOWED', f"{self.command} is not allowed on {url.path}; use {', '.join(route)}")
            if self.command != 'GET' and SECRET and not hmac.compare_digest(self.headers.get('authorization') or '', f'Bearer {SECRET}'):
                raise LabError(401, 'UNAUTHORIZED', f'{self.command} {url.path} needs the cluster secret (authorization: Bearer ...)')
            try:
                body = json.loads(raw.decode('utf-8')) if raw.strip() else None
            except ValueError:
                raise bad('body is not valid JSON')
            status, reply = route[self.command](query, body)
        except LabError as error:
            status, reply = error.status, {'error': str(error), 'code': error.code}
        except Exception as error:  # a bug answers 500 and the node keeps serving
            status, reply = 500, {'error': repr(error), 'code': 'INTERNAL'}
        data = json.dumps(reply).encode('utf-8')
        self.send_response(status)
        self.send_header('content-type', 'application/json; charset=utf-8')
        self.send_header('content-length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any

    def log_message(self, format, *args):  # one line per request would drown the log
        pass


def log(line):
    print(f"[{time.strftime('%Y-%m-%dT%H:%M:%S')}] {line}", flush=True)


def main():
    global SECRET, self_node, successor
    if FLAGS.get('secret-file'):
        with open(FLAGS['secret-file'], encoding='utf-8') as file:
            SECRET = file.read().strip()
    server = ThreadingHTTPServer((HOST, PORT), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    self_node = {'id': hash_id(f'{HOST}:{port}'), 'host': HOST, 'port': port}
    successor = self_node
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if JOIN:
        host, _, join_port = JOIN.rpartition(':')
        placed = call({'id': hash_id(JOIN), 'host': host, 'port': int(join_port)}, 'POST', '/join', node_json(self_node))
        log(f'joined via {JOIN}: {placed}')
    log(f'ready id={hex_id(self_node["id"])} {HOST}:{port} bits={BITS} (python node)')
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    try:
        main()
    except (LabError, OSError, ValueError) as error:
        print(f"{getattr(error, 'code', 'START_FAILED')}: {error}", file=sys.stderr)
        sys.exit(1)
