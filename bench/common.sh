# What every benchmark script (scripts/bench-*) prints about its run, so figures can be compared:
# how busy the machine was, and the date, commit and machine. Sourced after scripts/lib.sh.

# Percent of CPU time not idle over $1 seconds: other work skews every figure.
cpu_busy() {
  local a b
  read -ra a < <(head -1 /proc/stat); sleep "$1"; read -ra b < <(head -1 /proc/stat)
  local idle=$(((b[4] + b[5]) - (a[4] + a[5])))
  local total=$(((b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + b[7] + b[8]) - (a[1] + a[2] + a[3] + a[4] + a[5] + a[6] + a[7] + a[8])))
  echo $((total ? 100 * (total - idle) / total : 0))
}

# The date, the commit (and whether the tree had changes), the CPUs and the kernel.
print_run_header() {
  local commit
  echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
  if commit="$(git rev-parse --short HEAD 2>/dev/null)"; then
    [ -z "$(git status --porcelain 2>/dev/null)" ] || commit="$commit (with uncommitted changes)"
  else
    commit="unknown (not a git checkout)"
  fi
  echo "commit:   $commit"
  echo "machine:  $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(uname -sr)"
}
