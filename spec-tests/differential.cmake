# Differential ctest variants (owned by the `diff` helper): every directive
# runs on an interpreter store and on a JIT store and the two must agree
# (harness/differential_compare.h). Registered for the Stage A and Stage B
# files of the core suite (spec-tests/stages/*.txt), the project's own scripts
# and the component-model suite, as SUITE/RELATIVE/PATH.wast/differential with
# labels suite;SUITE;differential. The suite's expected-failures list
# applies, looked up as the interpreter's (a directive failing on both tiers the same way is not a mismatch).

# One test per file; FILES are relative to ROOT.
function(tandem_register_differential suite root)
  set(xf_args)
  set(xf ${TANDEM_EXPECTED_FAILURES_DIR}/${suite}.txt)
  if(EXISTS ${xf})
    set(xf_args --expected-failures ${xf})
  endif()
  foreach(rel IN LISTS ARGN)
    set(name ${suite}/${rel}/differential)
    add_test(NAME ${name}
             COMMAND tandem wast --differential --tier=interp --quiet ${xf_args} ${root}/${rel})
    set_tests_properties(${name} PROPERTIES LABELS "suite;${suite};differential" TIMEOUT 900)
  endforeach()
endfunction()

if(IS_DIRECTORY ${TANDEM_TESTSUITE_DIR}/core)
  set(stage_files)
  foreach(stage stage-a stage-b)
    file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/stages/${stage}.txt lines REGEX "^core/")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^core/" "" rel "${line}")
      string(STRIP "${rel}" rel)
      if(EXISTS ${TANDEM_TESTSUITE_DIR}/core/${rel})
        list(APPEND stage_files ${rel})
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES stage_files)
  tandem_register_differential(core ${TANDEM_TESTSUITE_DIR}/core ${stage_files})
endif()
if(IS_DIRECTORY ${TANDEM_TESTSUITE_DIR}/component-model)
  file(GLOB_RECURSE cm_files RELATIVE ${TANDEM_TESTSUITE_DIR}/component-model
       ${TANDEM_TESTSUITE_DIR}/component-model/*.wast)
  list(SORT cm_files)
  tandem_register_differential(component-model ${TANDEM_TESTSUITE_DIR}/component-model ${cm_files})
endif()
file(GLOB local_files RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}/wast ${CMAKE_CURRENT_SOURCE_DIR}/wast/*.wast)
list(SORT local_files)
tandem_register_differential(local ${CMAKE_CURRENT_SOURCE_DIR}/wast ${local_files})
