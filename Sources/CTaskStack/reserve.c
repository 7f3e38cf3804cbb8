#include "CTaskStack.h"

// The concurrency runtime's entry points that compiled async code calls for its frames (declared
// in the Swift runtime's public header, swift/Runtime/Concurrency.h, with Swift's calling
// convention). Swift code cannot name them: the compiler reserves these symbols for itself.
extern void *swift_task_getCurrent(void) __attribute__((swiftcall));
extern void *swift_task_alloc(size_t size) __attribute__((swiftcall));
extern void swift_task_dealloc(void *pointer) __attribute__((swiftcall));

void *task_stack_reserve(size_t bytes) {
    // Without a task the runtime falls back to one allocator for the whole process, which is not
    // safe to share between threads.
    if (swift_task_getCurrent() == NULL) {
        return NULL;
    }
    void *block = swift_task_alloc(bytes);
    swift_task_dealloc(block);
    return block;
}
