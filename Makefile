# The README's two commands: `make demo` and `make test`.
GO ?= go
PKGS := ./...

.PHONY: demo test generate check-generated bench lint completeness

## demo: run examples/quickstart against the embedded emulator (or EASEMOB_* env).
demo:
	$(GO) run ./examples/quickstart

## test: vet, formatting, generated-file staleness and the race-enabled tests,
## then the quota integration tests again without -race: the race detector
## slows the SDK ~10x, so only a plain run shows the throughput it reaches.
test: lint
	$(GO) test -race -count=1 $(PKGS)
	$(GO) test -count=1 -run 'Quota|Replicas|Zero429|ManyCallers' .

## completeness: every catalog op has an SDK method, an emulator handler, a
## wire golden and a behaviour test (a module's testdata/ops-hit.txt, written
## by go test ./<module> -update-hits).
completeness:
	$(GO) test -count=1 -tags completeness -run Completeness .

## generate: rebuild limits_gen.go and the operation catalog from data/quotas.json and data/endpoints.json.
generate:
	$(GO) generate $(PKGS)

## bench: every benchmark, with allocations.
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

## lint: gofmt and go vet.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
