# The conformance suites under tests/kernel/<suite>/ (shared by the target build, which
# makes the images, and the host build, which registers them with CTest).
set(KEEL_CONFORMANCE_SUITES cnode vspace tcb ipc)
