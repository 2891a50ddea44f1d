# glibc's allocator for libtorch's tensors, sourced by lib.sh and the bench scripts; every process started after it
# inherits the settings (glibc reads them when a process starts). With glibc's default, adaptive thresholds a
# training step's tensors were faulted in afresh on every step in 5 of 8 JVMs measured, up to 5x slower steps on
# small machines (docs/platform-notes.md, "Native memory allocator"; vision-core's NativeAllocator warns without).
# NATIVE_ALLOCATOR=glibc-default leaves glibc's defaults (to measure them); values already set are kept.
# shellcheck shell=bash
if [ "${NATIVE_ALLOCATOR:-tuned}" = "glibc-default" ]; then
  unset MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_ MALLOC_TOP_PAD_
else
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
  export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
  export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-67108864}"
fi
