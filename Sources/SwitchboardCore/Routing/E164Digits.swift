/// The digits of a number's E.164 form, without the `+`, as ASCII bytes: the same bytes as
/// `number.digits.utf8`, produced without building that string.
///
/// `PhoneNumber.digits` is computed by string interpolation, which allocates on every call; the
/// router walks its prefix trie once per message and must not.
struct E164Digits: Sequence {
    let callingCode: Int
    let nationalNumber: String.UTF8View

    init(_ number: PhoneNumber) {
        callingCode = number.callingCode
        nationalNumber = number.nationalNumber.utf8
    }

    func makeIterator() -> Iterator {
        Iterator(callingCode: callingCode, nationalNumber: nationalNumber.makeIterator())
    }

    struct Iterator: IteratorProtocol {
        private var code: UInt
        /// The place value of the calling code's next digit; 0 once all of them have been produced.
        private var place: UInt
        /// Set for a negative calling code: its `-` is the one byte produced before the digits.
        private var pendingMinus: Bool
        private var nationalNumber: String.UTF8View.Iterator

        fileprivate init(callingCode: Int, nationalNumber: String.UTF8View.Iterator) {
            // Only malformed input has a negative code; it still yields exactly `digits.utf8`.
            pendingMinus = callingCode < 0
            code = callingCode.magnitude
            place = 1
            while place <= code / 10 {
                place *= 10
            }
            self.nationalNumber = nationalNumber
        }

        mutating func next() -> UInt8? {
            if pendingMinus {
                pendingMinus = false
                return UInt8(ascii: "-")
            }
            if place > 0 {
                let digit = code / place % 10
                place /= 10
                return UInt8(ascii: "0") + UInt8(digit)
            }
            return nationalNumber.next()
        }
    }
}
