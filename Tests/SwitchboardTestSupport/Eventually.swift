/// Whether `condition` holds by the deadline. The condition decides the outcome; the deadline only
/// bounds how long a failing test waits.
package func eventually(within limit: Duration, _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
