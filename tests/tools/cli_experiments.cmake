# End-to-end `sniper schedule run --save | schedule replay` and `sniper partition --save` on a
# fresh default project (unpacked from the bundle, which stores one experiment of each kind),
# plus the bad inputs: a missing experiment, an id that is not a number, an experiment of the
# wrong kind. Run by CTest: cmake -DSNIPER=... -DSOURCE_DIR=... -DWORK_DIR=... -P cli_experiments.cmake

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(ENV{SNIPER_PROJECT} "${WORK_DIR}/project.sniper")

include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)

# The bundled experiment reproduces on the bundled latencies.
run(TRUE ${SNIPER} schedule replay)
expect("every event log equals the stored one")
expect("sniper ")

run(TRUE ${SNIPER} schedule run --nodes torch-cpu-1t:2,opencv-cpu-1t:1 --rate 8 --duration 5 --policies slo,sniper
    --save cli-test --out ${WORK_DIR}/events)
expect("saved as experiment")
string(REGEX MATCH "saved as experiment ([0-9]+)" _ "${OUT}")
set(ID ${CMAKE_MATCH_1})
if(NOT EXISTS ${WORK_DIR}/events/events_sniper.csv)
  message(FATAL_ERROR "schedule run --out wrote no event log")
endif()
file(READ ${WORK_DIR}/events/events_sniper.csv first)
run(TRUE ${SNIPER} schedule replay ${ID} --out ${WORK_DIR}/replayed)
expect("experiment ${ID} 'cli-test': every event log equals the stored one")
file(READ ${WORK_DIR}/replayed/events_sniper.csv second)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "the replayed event log differs from the first run's")
endif()

run(TRUE ${SNIPER} partition ${SOURCE_DIR}/datasets/models/alexnet.onnx --jobs 4 --bandwidth 3G --repeats 1 --save cli-partition)
expect("saved as experiment")
string(REGEX MATCH "saved as experiment ([0-9]+)" _ "${OUT}")
set(PARTITION ${CMAKE_MATCH_1})

run(FALSE ${SNIPER} schedule replay 999999)
expect("experiment 999999: no such experiment in the project")
run(FALSE ${SNIPER} schedule replay first)
expect("'first' is not a number")
run(FALSE ${SNIPER} schedule replay ${PARTITION})
expect("is a 'partition' experiment, not 'scheduling'")
run(FALSE ${SNIPER} schedule run --policies fifo --duration 1 --save bad)
expect("fifo")
