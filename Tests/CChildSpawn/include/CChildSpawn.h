// What starting a child process needs from the C library that Swift's Glibc module leaves out
// (GNU extensions). For the tests' ChildProcess only.
#ifndef C_CHILD_SPAWN_H
#define C_CHILD_SPAWN_H

#include <spawn.h>

/// `pipe2(ends, O_CLOEXEC)`: both ends close on exec from the start.
int child_spawn_pipe_closing_on_exec(int ends[2]);

/// `posix_spawn_file_actions_addclosefrom_np`: the child closes every descriptor from `lowest` up.
int child_spawn_add_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// `posix_spawn_file_actions_addchdir_np`: the child starts in `path`.
int child_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
