# Step bookkeeping for scripts/test-all.sh: each step is run, timed and recorded as passed, failed or
# skipped; test steps also record the counts their runner (Node's test runner) printed. print_summary
# ends the run with one table and one closing line, and exits non-zero when any step failed.

declare -a step_ids=() step_titles=() step_states=() step_notes=() step_seconds=()
tests_passed=0 tests_failed=0 tests_skipped=0

record_step() { # id title state note seconds
  step_ids+=("$1"); step_titles+=("$2"); step_states+=("$3"); step_notes+=("$4"); step_seconds+=("$5")
}

passed() { # id: did that step pass?
  local i
  for i in "${!step_ids[@]}"; do [[ "${step_ids[$i]}" == "$1" ]] && { [[ "${step_states[$i]}" == passed ]]; return; }; done
  return 1
}

run_step() { # id title command...
  local id=$1 title=$2 start=$SECONDS
  shift 2
  printf '\n=== %s\n' "$title"
  if "$@"; then record_step "$id" "$title" passed "" $((SECONDS - start))
  else record_step "$id" "$title" failed "exit code $?" $((SECONDS - start)); fi
}

skip_step() { # id reason
  printf '\n=== %s: skipped (%s)\n' "$1" "$2"
  record_step "$1" "$1" skipped "$2" 0
}

# The runner's own closing lines ("ℹ pass N", "ℹ fail N", …), summed over every run in the log (the e2e
# suite prints one block per test file when files run one at a time).
count_in() { # log label
  { grep -aE "^ℹ $2 [0-9]+$" "$1" || true; } | awk '{ n += $3 } END { print n + 0 }'
}

run_tests() { # id title log command...
  local id=$1 title=$2 log=$3 start=$SECONDS status
  shift 3
  printf '\n=== %s\n' "$title"
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  local pass fail skip
  pass=$(count_in "$log" pass); fail=$(count_in "$log" fail); skip=$(( $(count_in "$log" skipped) + $(count_in "$log" todo) + $(count_in "$log" cancelled) ))
  tests_passed=$((tests_passed + pass)); tests_failed=$((tests_failed + fail)); tests_skipped=$((tests_skipped + skip))
  local note="$pass passed, $fail failed, $skip skipped"
  if [[ $status -eq 0 && $fail -eq 0 && $pass -gt 0 ]]; then record_step "$id" "$title" passed "$note" $((SECONDS - start))
  elif [[ $status -eq 0 && $pass -eq 0 ]]; then record_step "$id" "$title" failed "no test ran" $((SECONDS - start))
  else record_step "$id" "$title" failed "$note (exit code $status; full log $log)" $((SECONDS - start)); fi
}

print_summary() {
  local i failed=0
  printf '\n=== summary\n'
  for i in "${!step_ids[@]}"; do
    printf '  %-8s %-58s %5ss  %s\n' "${step_states[$i]}" "${step_titles[$i]}" "${step_seconds[$i]}" "${step_notes[$i]}"
    [[ "${step_states[$i]}" == passed ]] || failed=1
  done
  # The plain closing line CI reads: tests counted over every runner above.
  printf '\ntests: %d passed, %d failed, %d skipped\n' "$tests_passed" "$tests_failed" "$tests_skipped"
  exit $failed
}
