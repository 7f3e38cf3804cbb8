// Room in the running task's allocator, set aside ahead of a deep path of async calls: see
// SwitchboardCore's TaskStack, which is what calls it.
#ifndef C_TASK_STACK_H
#define C_TASK_STACK_H

#include <stddef.h>

/// Takes `bytes` from the running task's allocator and gives them back at once. Returns where they
/// were, or NULL when no task is running (then nothing is taken).
void *task_stack_reserve(size_t bytes);

#endif
