package import Testing

/// Whether `condition` holds by the deadline (or when the waiting task is cancelled). The condition
/// decides the outcome; the deadline only bounds how long a failing test waits.
package func eventually(within limit: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline, !Task.isCancelled {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// Waits until `condition` holds, as `#require` would check it: when it does not by the deadline,
/// records an issue and throws, ending the test.
package func requireEventually(
    within limit: Duration, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
) async throws {
    guard try await eventually(within: limit, condition) else {
        Issue.record("the condition did not hold within \(limit)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}
