internal import CTaskStack

/// Room set aside in the running task's allocator ahead of a deep path of async calls.
///
/// The concurrency runtime gives each async call's frame room from its task's allocator, in small
/// slabs, and a frame that does not fit what is left of the current slab starts a new one: a path
/// of many frames of half a slab or more holds a slab per level for as long as it is in flight (a
/// request waiting for the store, a send waiting for its provider). A block taken and given back at
/// once leaves an empty slab of its size after the current one, which the task keeps: the frames of
/// the calls that follow are packed into it, and the next time nothing new is allocated. Memory
/// only: a path longer than the room goes on in slabs of its own, as it would without it.
///
/// The sizes are the smallest tried that the benchmark's paths fit in (`Benchmarks/HISTORY.md`:
/// "Frames packed into room set aside", "Shallower paths for requests and deliveries", "A shallower
/// delivery path").
package enum TaskStack {
    /// A request's frames, from the connection's handling down to the store or the gateway's
    /// delivery: set aside when a connection starts, for every request it carries.
    package static let requestPath = 13 * 1024

    /// A delivery's frames: the gateway's send, the dispatcher, the provider, the HTTP transport
    /// and its pool.
    package static let deliveryPath = 6 * 1024

    /// Sets aside `bytes` in the running task's allocator for the frames of the calls that follow.
    /// - Returns: Where the room starts; `nil` when no task is running (then nothing is set aside).
    @discardableResult
    package static func reserve(_ bytes: Int) -> UnsafeMutableRawPointer? {
        task_stack_reserve(bytes)
    }
}
