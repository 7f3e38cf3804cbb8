/// Byte comparison for secrets, whose time does not depend on where the inputs differ.
package enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. Every byte of the longer input is looked at, so the
    /// time depends only on the lengths. Inlinable, so that callers in other modules get a copy
    /// specialised for their sequences (no copy of an array into another, no generic calls).
    @inlinable package static func equal(_ a: some Sequence<UInt8>, _ b: some Sequence<UInt8>) -> Bool {
        let left = Array(a)
        let right = Array(b)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? left[index] : 0
            let r = index < right.count ? right[index] : 0
            difference |= l ^ r
        }
        return difference == 0
    }
}
