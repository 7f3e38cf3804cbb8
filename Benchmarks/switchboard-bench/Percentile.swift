extension Array where Element == Double {
    /// The value at fraction `p` (0.5 for the median) of these latencies, sorted ascending: the one
    /// at index `count × p`, rounded down; `nil` when there are none. Printed by the load tools.
    func percentile(_ p: Double) -> Double? {
        isEmpty ? nil : self[Swift.min(count - 1, Int(Double(count) * p))]
    }
}
