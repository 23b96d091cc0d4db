# Shared by the CLI end-to-end scripts: run(expect_ok COMMAND...) keeps the output in OUT and
# fails the test when the command's success is not the expected one; expect(TEXT) fails unless
# OUT contains TEXT.

function(run expect_ok)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(OUT "${out}${err}" PARENT_SCOPE)
  if(expect_ok AND NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}${err}")
  elseif(NOT expect_ok AND rc EQUAL 0)
    message(FATAL_ERROR "should have failed: ${ARGN}\n${out}${err}")
  endif()
endfunction()

function(expect text)
  string(FIND "${OUT}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected '${text}' in:\n${OUT}")
  endif()
endfunction()

# expect_regex(REGEX): fails unless OUT matches the CMake regular expression.
function(expect_regex regex)
  string(REGEX MATCH "${regex}" found "${OUT}")
  if(NOT found)
    message(FATAL_ERROR "expected /${regex}/ in:\n${OUT}")
  endif()
endfunction()
