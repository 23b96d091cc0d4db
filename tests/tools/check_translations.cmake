# CTest "translations_complete": runs lupdate over views/ and app/gui into a copy of each .ts
# and fails when any message is new or unfinished, so untranslated strings cannot slip in.
# cmake -DLUPDATE=... -DSOURCE_DIR=... -DWORK_DIR=... -P check_translations.cmake
file(GLOB ts_files ${SOURCE_DIR}/translations/*.ts)
if(NOT ts_files)
  message(FATAL_ERROR "no .ts files in ${SOURCE_DIR}/translations")
endif()
file(MAKE_DIRECTORY ${WORK_DIR})
set(failed FALSE)
foreach(ts IN LISTS ts_files)
  get_filename_component(name ${ts} NAME)
  set(copy ${WORK_DIR}/${name})
  configure_file(${ts} ${copy} COPYONLY)
  execute_process(
    COMMAND ${LUPDATE} -no-obsolete -locations none ${SOURCE_DIR}/views ${SOURCE_DIR}/app/gui -ts ${copy}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lupdate failed on ${name}:\n${out}${err}")
  endif()
  file(STRINGS ${copy} unfinished REGEX "type=\"unfinished\"")
  list(LENGTH unfinished count)
  if(count GREATER 0)
    # Name the source texts that still need a translation.
    file(READ ${copy} text)
    string(REGEX MATCHALL "<source>[^<]*</source>[ \t\r\n]*<translation type=\"unfinished\"" hits "${text}")
    message(SEND_ERROR "${name}: ${count} untranslated message(s); translate them in ${ts} "
                       "(cmake --build . --target sniper_views_lupdate, then Qt Linguist):\n${hits}")
    set(failed TRUE)
  else()
    message(STATUS "${name}: complete (${out})")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "translations incomplete")
endif()
