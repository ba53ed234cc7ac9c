# chord-lab: every target installs and builds what it needs first.
# Arguments are Make variables: make store V=hello, make addmany N=10, make leave PORT=5003. GNU make
# puts the variables of its command line in each recipe's environment, where the scripts read them
# (no shell quoting games with V=...); each one is declared once, in src/node/settings.ts.

SHELL := /bin/bash
.DEFAULT_GOAL := help
# The Node.js binary the targets run (NODE= is make grade's node command, so not this).
NODE_JS ?= node

export DHT_STATE_DIR ?= $(CURDIR)/state

DEPS  := node_modules/.install-stamp
BUILD := dist/.build-stamp
SOURCES := $(shell find src scripts test -name '*.ts' 2>/dev/null)
# $(call run,script[,arguments[,node flags]]). A script prints its own one line and exits with its own
# code (src/tools/exit-codes.ts; make help lists them). When it fails, make would add a line of its own
# ("make: *** [Makefile:48: store] Error 1") and exit 2; instead the recipe ends make with SIGPIPE, which
# neither make nor the shell reports, so the script's line is the only one. make cannot exit with another
# process's code: through make a failure exits 141; node dist/scripts/<target>.js exits with the script's.
run = @$(NODE_JS) $(3) dist/scripts/$(1).js $(2) || { status=$$?; kill -PIPE $$PPID; exit $$status; }

$(DEPS): package.json package-lock.json
	@echo "• installing dependencies (npm ci)…" >&2
	@npm ci --no-audit --no-fund --loglevel=error >&2
	@touch $@

$(BUILD): $(DEPS) tsconfig.json $(SOURCES) $(wildcard src/workbench/web/*.js)
	@echo "• compiling TypeScript…" >&2
	@rm -rf dist && npx tsc -p tsconfig.json
	@touch $@

.PHONY: help install build demo boot add addmany store storemany lookup delete leave crash fingers web torture starter \
        monitor check recover killall reboot test bench simulate paper scale grade clean slow drop partition heal trace messages openapi ports \
        prometheus modelcheck

help: $(BUILD) ## list the targets and the settings
	@echo "chord-lab — a Chord DHT where every node is a process. Targets:"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## (.*)/  make \1|\2/' | awk -F'|' '{ printf "%-17s %s\n", $$1, $$2 }'
	@echo
	$(call run,help)

install: $(DEPS) ## install dependencies (every target does this when needed)
build: $(BUILD) ## type-check and compile to dist/

demo: $(BUILD) ## boot, add 8 nodes, store and look up 20 sentences, print the ring
	$(call run,demo)
boot: $(BUILD) ## start a new ring of two nodes [M=bits R=replicas MODE=linear, any ring setting]
	$(call run,boot)
add: $(BUILD) ## add one node that joins through a random node [JOIN=host:port: a ring elsewhere]
	$(call run,add)
addmany: $(BUILD) ## add N nodes [N=10 PARALLEL=1]
	$(call run,add,--many)
store: $(BUILD) ## store a value: V=hello
	$(call run,store)
storemany: $(BUILD) ## store N random sentences from lipsum.txt [N=100]
	$(call run,storemany)
lookup: $(BUILD) ## look a value up: V=hello (the script exits 1 when it is absent)
	$(call run,lookup)
delete: $(BUILD) ## delete a value: V=hello
	$(call run,delete)
leave: $(BUILD) ## ask a node to leave, handing its keys over [PORT=p]
	$(call run,leave)
crash: $(BUILD) ## SIGKILL a node [PORT=p]
	$(call run,crash)
fingers: $(BUILD) ## print a node's finger table [PORT=p]
	$(call run,fingers)
slow: $(BUILD) ## make one node slow: it holds every request it handles [PORT=p MS=200]
	$(call run,slow)
drop: $(BUILD) ## every node loses each call to another node with this probability: RATE=0.1
	$(call run,drop)
partition: $(BUILD) ## cut these nodes and the rest of the ring apart: PORTS=5001,5002,5003
	$(call run,partition)
heal: $(BUILD) ## clear every fault on every node: partition, drops, slowness, delay
	$(call run,heal)
monitor: $(BUILD) ## watch the ring live [ONCE=1 JSON=1]
	$(call run,monitor)
trace: $(BUILD) ## print a trace again as a sequence diagram: ID=<trace id> [SVG=file]
	$(call run,trace)
messages: $(BUILD) ## tail the ring's messages live [ALL=1: maintenance too, ONCE=1, SINCE=seconds back]
	$(call run,messages)
check: $(BUILD) ## check the ring's invariants, waiting out a settling ring; exit 1 if broken [WAIT=seconds]
	$(call run,check)
recover: $(BUILD) ## rebuild a lost or corrupt state/network.json by asking the ring [JOIN=host:port]
	$(call run,recover)
openapi: $(BUILD) ## write the node API's OpenAPI document to openapi.json (every node also serves it at /openapi.json)
	$(call run,openapi)
prometheus: $(BUILD) ## start a real Prometheus scraping every node's /metrics (installs Debian's prometheus if missing); prints its address
	@bash scripts/install-prometheus.sh
	$(call run,prometheus)
killall: $(BUILD) ## stop every node recorded in state/, saying how many nodes and values it held (and make prometheus's Prometheus)
	$(call run,killall)
ports: $(BUILD) ## the ring's ports, one per line, ascending (for scripts: make -s ports)
	$(call run,ports)
reboot: killall boot ## killall, then boot

test: $(BUILD) ## type-check and run every test with coverage (installs Chromium for the browser test)
	@npx tsc -p src/workbench/web/tsconfig.json
	@bash scripts/install-browser.sh
	@bash scripts/install-prometheus.sh || echo "warning: no Prometheus: the tests that need it (test/integration/prometheus.test.ts) will fail saying why" >&2
	@npx c8 --reporter=text-summary --exclude 'dist/test/**' node --test --test-concurrency=1 --test-timeout=300000 $$(find dist/test -name '*.test.js' | sort)

clean: ## remove build output (not state/)
	rm -rf dist coverage

simulate: $(BUILD) ## the Chord paper's experiments in one process [QUICK=1 SEED=42]
	$(call run,simulate,,--max-old-space-size=8192)

paper: $(BUILD) ## the Chord paper's §V beside its numbers, timed simulator up to 2^21 nodes [QUICK=1 SEED=42 LATENCY=exponential]
	$(call run,paper,,--expose-gc --max-old-space-size=10240 --max-semi-space-size=64)
scale: $(BUILD) ## 2^21 simulated nodes and 10,000 lookups: build time, bytes per node, events/s [LOG2N=21 SEED=42]
	$(call run,scale,,--expose-gc --max-old-space-size=10240 --max-semi-space-size=64)

bench: $(BUILD) ## measure real processes: hops, latency, throughput, joins, memory [QUICK=1 DELAY_MS=20]
	$(call run,bench)

grade: $(BUILD) ## grade a node level by level of the handout [IMPL=lab NODE='<command>' LEVELS=1,2,3,bonus,beyond TESTS=2.join]
	$(call run,grade)

torture: $(BUILD) ## a ring of its own under clients and a seeded nemesis; exit 1 if anything is lost [SECONDS=30 SEED=n]
	$(call run,torture)

modelcheck: $(BUILD) ## every interleaving of a small ring, Zave's invariants after each step; exit 1 on a violation [NODES=3 DEPTH=12 SCENARIO=joins VARIANT=sigcomm REPLAY=file]
	$(call run,modelcheck,,--max-semi-space-size=64)

starter: $(BUILD) ## write a student's starter kit, derived from src/lab/lab-node.ts: DIR=path (new or empty)
	$(call run,starter)

web: $(BUILD) ## a live web view of the running ring [WEB_PORT=8080]
	$(call run,web)
