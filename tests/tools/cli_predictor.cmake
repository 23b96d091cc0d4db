# End-to-end `sniper train | predict | export-predictor | fewshot` on a copy of the bundled demo
# project (300 generated networks on two platforms), plus the bad inputs the predictors issue
# names: an unknown platform, an ONNX with an unsupported operator, a corrupt predictor file.
# Run by CTest: cmake -DSNIPER=... -DPYTHON=... -DSOURCE_DIR=... -DWORK_DIR=... -P cli_predictor.cmake

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(DB "${WORK_DIR}/project.sniper")
set(ENV{SNIPER_PROJECT} "${DB}") # a fresh default project: unpacked from the bundle

include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)

run(TRUE ${SNIPER} train --dataset generated-300 --epochs 20 --references 40 --name cli-test --out ${WORK_DIR}/p.bin)
expect("NNS+HRM (PCN)")
expect("MAPE")
run(TRUE ${SNIPER} predict ${SOURCE_DIR}/datasets/models/resnet18.onnx --predictor cli-test)
expect("torch-cpu-1t: ")
expect(" ms")
run(TRUE ${SNIPER} predict ${SOURCE_DIR}/datasets/models/resnet18.onnx --predictor ${WORK_DIR}/p.bin --platform opencv-cpu-1t)
# No --predictor: the project's newest (cli-test). ResNet-18 (1.8 G MACs) lies far outside
# generated-300 (at most 100 M): the range indicator names features and the shrink rule.
run(TRUE ${SNIPER} predict ${SOURCE_DIR}/datasets/models/resnet18.onnx)
expect_regex("predictor [0-9]+: cli-test")
expect_regex("OUTSIDE the training range on: [a-z_0-9, ]*total_macs")
expect_regex("up to [0-9.]+ training spans beyond it on the features the predictor reads: the correction over HRM's prior is shrunk to [0-9]+%")
run(TRUE ${SNIPER} export-predictor --predictor cli-test --out ${WORK_DIR}/exported)
if(NOT EXISTS ${WORK_DIR}/exported.onnx OR NOT EXISTS ${WORK_DIR}/exported.json)
  message(FATAL_ERROR "export-predictor wrote no files")
endif()
run(TRUE ${SNIPER} check ${WORK_DIR}/exported.onnx)
file(READ ${WORK_DIR}/exported.json card)
string(JSON order GET "${card}" onnx input order)
string(JSON platforms GET "${card}" onnx output order)

# sniper evaluate: the seven predictors on the bundled realistic networks and the zoo. Every report
# file is written, and the report's numbers are the metrics stored with each predictor.
run(TRUE ${SNIPER} evaluate --dataset realistic-300 --real torchvision-zoo --epochs 10 --references 40
    --out ${WORK_DIR}/eval)
foreach(f report.md metrics.csv predictions.csv real-metrics.csv real-predictions.csv
          figures/fig9-accuracy.svg figures/fig9-accuracy.png figures/fig9-accuracy.pdf figures/fig10-real.svg)
  if(NOT EXISTS ${WORK_DIR}/eval/${f})
    message(FATAL_ERROR "sniper evaluate wrote no ${f}")
  endif()
endforeach()
file(READ ${WORK_DIR}/eval/report.md report)
if(NOT report MATCHES "Latency of a measurement: the fastest of its timed runs")
  message(FATAL_ERROR "the evaluation report does not say which latency it learned")
endif()
execute_process(COMMAND ${PYTHON} -c "
import csv, json, sqlite3, sys
rows = [r for r in csv.DictReader(open('${WORK_DIR}/eval/metrics.csv')) if r['scope'] == 'all']
names = [r['predictor'] for r in rows]
if len(set(names)) != 7: sys.exit('metrics.csv has %d predictors, not 7: %s' % (len(set(names)), names))
db = sqlite3.connect('${DB}')
report = open('${WORK_DIR}/eval/report.md').read()
for r in rows:
    m, training = db.execute('SELECT metrics, training FROM predictors WHERE name = ? ORDER BY id DESC LIMIT 1',
                             (r['predictor'],)).fetchone()
    stored = json.loads(m)['all']
    if abs(stored['mape'] - float(r['mape_pct'])) > 1e-4 * stored['mape'] or stored['n'] != int(r['n']):
        sys.exit('%s: report MAPE %s (n %s), stored %r' % (r['predictor'], r['mape_pct'], r['n'], stored))
    if '| %s | %d | %.2f |' % (r['predictor'], stored['n'], stored['mape']) not in report:
        sys.exit('report.md has no row for %s with MAPE %.2f' % (r['predictor'], stored['mape']))
    t = json.loads(training)
    if t.get('statistic') != 'fastest' or 'split_seed' not in t or 'test_fraction' not in t:
        sys.exit('%s: stored training record %r' % (r['predictor'], t))
print('evaluate report matches', len(rows), 'stored predictors')
" RESULT_VARIABLE rc OUTPUT_VARIABLE py ERROR_VARIABLE pyerr)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "evaluate report check: ${py}${pyerr}")
endif()
foreach(f png pdf)
  file(REMOVE ${WORK_DIR}/fig9.${f})
endforeach()
run(TRUE ${SNIPER} figure convert ${WORK_DIR}/eval/figures/fig9-accuracy.svg ${WORK_DIR}/fig9.png ${WORK_DIR}/fig9.pdf --dpi 150)
file(READ ${WORK_DIR}/fig9.png png_head LIMIT 8 HEX)
file(READ ${WORK_DIR}/fig9.pdf pdf_head LIMIT 8)
if(NOT png_head STREQUAL "89504e470d0a1a0a" OR NOT pdf_head MATCHES "^%PDF-1")
  message(FATAL_ERROR "figure convert wrote no PNG/PDF (heads: ${png_head} / ${pdf_head})")
endif()
run(FALSE ${SNIPER} figure convert ${WORK_DIR}/eval/report.md ${WORK_DIR}/x.png)
expect("report.md")
run(FALSE ${SNIPER} evaluate --dataset realistic-300 --statistic mean --out ${WORK_DIR}/eval2)
expect("mean")

# Few-shot: leave opencv-cpu-1t out, add it back from 10 reference latencies.
run(TRUE ${SNIPER} fewshot --dataset generated-300 --k 10 --epochs 5 --train-networks 200 --targets opencv-cpu-1t
    --out ${WORK_DIR}/fewshot)
expect("| opencv-cpu-1t | 10 | 290 |")
expect("HRM prior alone")
if(NOT EXISTS ${WORK_DIR}/fewshot/fewshot.csv OR NOT EXISTS ${WORK_DIR}/fewshot/fewshot.md)
  message(FATAL_ERROR "fewshot wrote no report")
endif()

# Bad input.
run(FALSE ${SNIPER} fewshot --dataset generated-300 --protocol help --targets opencv-cpu-1t --out ${WORK_DIR}/fs2)
expect("HELP's protocol needs NAS-Bench-201 cell 0 (network 'nb201-0')")
run(FALSE ${SNIPER} fewshot --dataset generated-300 --epochs 2 --targets jetson-nano --out ${WORK_DIR}/fs3)
expect("no platform 'jetson-nano' in the data")
run(FALSE ${SNIPER} predict ${SOURCE_DIR}/datasets/models/resnet18.onnx --predictor cli-test --platform jetson-nano)
expect("not trained for platform 'jetson-nano'")
execute_process(COMMAND ${PYTHON} -c "
import onnx
from onnx import helper, TensorProto
n = helper.make_node('FancyTransformer', ['x'], ['y'])
g = helper.make_graph([n], 'g', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 8, 8])],
                      [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 3, 8, 8])])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)]), '${WORK_DIR}/unsupported.onnx')
" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "python3-onnx could not write the test model")
endif()
run(FALSE ${SNIPER} predict ${WORK_DIR}/unsupported.onnx --predictor cli-test)
expect("unsupported operator 'FancyTransformer'")
file(WRITE ${WORK_DIR}/corrupt.bin "SNIPER-PREDICTOR-1\nthis is not a predictor")
run(FALSE ${SNIPER} predict ${SOURCE_DIR}/datasets/models/resnet18.onnx --predictor ${WORK_DIR}/corrupt.bin)
expect("corrupt.bin")
run(FALSE ${SNIPER} predict ${SOURCE_DIR}/datasets/models/resnet18.onnx --predictor no-such-predictor)
expect("no network predictor with that id or name")
run(FALSE ${SNIPER} train --dataset no-such-dataset)
expect("no dataset named 'no-such-dataset'")
message(STATUS "cli predictor checks passed")
