# k-induction proofs of the sequencer's safety rules (gen/Formal.hh, docs/proofs.md):
# Yosys, yosys-smtbmc and z3. One test per proof, so ctest runs them in parallel; the
# planted-bug tests show that the proofs fail, with the rule and the step, when the RTL
# breaks a rule.
add_executable(gen_formal_tests FormalTest.cc)
pf_target_defaults(gen_formal_tests)
target_link_libraries(gen_formal_tests PRIVATE pf_gen GTest::gtest_main)
# One label only: LABELS with a ';' list would swallow the properties after it (TIMEOUT).
gtest_discover_tests(gen_formal_tests TEST_PREFIX "gen.formal."
                     PROPERTIES LABELS formal TIMEOUT 900)
