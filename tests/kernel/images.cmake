# The test suites under tests/kernel/<suite>/ (shared by the target build, which makes
# the images, and the host build, which registers them with CTest).
#   conformance suites: kernel API tests, each run with the fastpath on and off;
#   plain suites: one debug test image each;
#   benchmark suites: one release image each, run with 1 GiB of RAM.
set(KEEL_CONFORMANCE_SUITES cnode vspace tcb ipc)
set(KEEL_PLAIN_SUITES userlibs sysfuzz)
set(KEEL_BENCH_SUITES bench-libs)
