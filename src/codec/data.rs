//! [`Data`]: a tree of AMQP values with a cursor, the model behind
//! proton's `pn_data_t`.
//!
//! Nodes live in one `Vec` and refer to each other by index (`0` is the
//! invisible root, so node ids are proton's: the first node put is 1).
//! Bytes of strings, symbols and binaries are copied into one buffer owned
//! by the tree. Nothing is freed before [`Data::clear`]: a node overwritten
//! by a put keeps its id, and the children it had stay in the vector,
//! unreachable (proton counts them in `pn_data_size` too).
//!
//! The cursor is proton's: a *parent* (0 for the top level) and a
//! *current* node among its children (0 for "before the first").
//! `put_*` writes the node after the current one (reusing it if it exists)
//! and makes it current; `next`/`prev`/`enter`/`exit` move.

use super::error::CodecError;
use super::types::{Atom, Type};

/// Where the bytes of a string, symbol or binary are in [`Data::bytes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub off: u32,
    pub len: u32,
}

/// What a node holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Ubyte(u8),
    Byte(i8),
    Ushort(u16),
    Short(i16),
    Uint(u32),
    Int(i32),
    Char(u32),
    Ulong(u64),
    Long(i64),
    Timestamp(i64),
    Float(f32),
    Double(f64),
    Decimal32(u32),
    Decimal64(u64),
    Decimal128([u8; 16]),
    Uuid([u8; 16]),
    Binary(Span),
    String(Span),
    Symbol(Span),
    Described,
    /// `ty` is the element type as C gave it (any int; proton keeps
    /// values that are no type and prints them as `<UNKNOWN>`).
    Array {
        described: bool,
        ty: i32,
    },
    List,
    Map,
}

impl Value {
    pub fn type_of(&self) -> Type {
        match self {
            Value::Null => Type::Null,
            Value::Bool(_) => Type::Bool,
            Value::Ubyte(_) => Type::Ubyte,
            Value::Byte(_) => Type::Byte,
            Value::Ushort(_) => Type::Ushort,
            Value::Short(_) => Type::Short,
            Value::Uint(_) => Type::Uint,
            Value::Int(_) => Type::Int,
            Value::Char(_) => Type::Char,
            Value::Ulong(_) => Type::Ulong,
            Value::Long(_) => Type::Long,
            Value::Timestamp(_) => Type::Timestamp,
            Value::Float(_) => Type::Float,
            Value::Double(_) => Type::Double,
            Value::Decimal32(_) => Type::Decimal32,
            Value::Decimal64(_) => Type::Decimal64,
            Value::Decimal128(_) => Type::Decimal128,
            Value::Uuid(_) => Type::Uuid,
            Value::Binary(_) => Type::Binary,
            Value::String(_) => Type::String,
            Value::Symbol(_) => Type::Symbol,
            Value::Described => Type::Described,
            Value::Array { .. } => Type::Array,
            Value::List => Type::List,
            Value::Map => Type::Map,
        }
    }
}

/// One value in the tree. Links are node ids, 0 meaning none.
///
/// `repr(C)` to keep `prev` before `parent`: the reverse of the cursor's
/// `parent`, `current` in [`Data`], so that filling a new node's links is
/// two 4-byte copies rather than one wide load over the cursor fields that
/// were just written (a store-forwarding stall on every put).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    pub value: Value,
    pub prev: u32,
    pub parent: u32,
    pub next: u32,
    pub down: u32,
    pub children: u32,
}

impl Node {
    const EMPTY: Node = Node { value: Value::Null, parent: 0, prev: 0, next: 0, down: 0, children: 0 };
}

/// A navigable tree of AMQP values (proton's `pn_data_t`).
///
/// ```
/// use proton::codec::data::Data;
/// let mut d = Data::new();
/// d.put_list().unwrap();
/// d.enter();
/// d.put_int(1).unwrap();
/// d.put_string(b"two").unwrap();
/// d.exit();
/// assert_eq!(d.format(), b"[1, \"two\"]");
/// let mut bytes = Vec::new();
/// d.encode(&mut bytes).unwrap();
/// let mut e = Data::new();
/// assert_eq!(e.decode(&bytes), Ok(bytes.len()));
/// assert_eq!(e.format(), d.format());
/// ```
#[repr(C)]
#[derive(Clone, Debug)]
pub struct Data {
    /// `nodes[0]` is the root: its `down`/`children` are the top level.
    pub(crate) nodes: Vec<Node>,
    pub(crate) bytes: Vec<u8>,
    pub(crate) parent: u32,
    pub(crate) current: u32,
    base_parent: u32,
    base_current: u32,
    /// Nodes whose byte spans a decode in progress recorded relative to its
    /// input (kept here to reuse the allocation).
    pub(crate) rebase: Vec<u32>,
}

impl Default for Data {
    fn default() -> Self {
        Data::new()
    }
}

/// What [`Data::checkpoint`] saved: enough to undo a failed decode.
pub(crate) struct Checkpoint {
    nodes_len: usize,
    bytes_len: usize,
    parent: u32,
    current: u32,
    saved: [(u32, Node); 3],
}

impl Data {
    /// An empty tree.
    pub fn new() -> Data {
        Data::with_capacity(0)
    }

    /// An empty tree with room for `capacity` nodes.
    pub fn with_capacity(capacity: usize) -> Data {
        let mut nodes = Vec::with_capacity(capacity.saturating_add(1).min(1 << 16));
        nodes.push(Node::EMPTY);
        Data { nodes, bytes: Vec::new(), parent: 0, current: 0, base_parent: 0, base_current: 0, rebase: Vec::new() }
    }

    /// Remove every value; the tree is as new (keeps its memory).
    pub fn clear(&mut self) {
        self.nodes.truncate(1);
        self.nodes[0] = Node::EMPTY;
        self.bytes.clear();
        self.parent = 0;
        self.current = 0;
        self.base_parent = 0;
        self.base_current = 0;
    }

    /// Number of nodes, including ones a put overwrote (`pn_data_size`).
    pub fn size(&self) -> usize {
        self.nodes.len() - 1
    }

    /// Whether there is no value at all.
    pub fn is_empty(&self) -> bool {
        self.nodes[0].down == 0
    }

    #[inline]
    pub(crate) fn node(&self, id: u32) -> &Node {
        &self.nodes[id as usize]
    }

    #[inline]
    fn node_mut(&mut self, id: u32) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    /// The bytes a span refers to.
    #[inline]
    pub(crate) fn span(&self, s: Span) -> &[u8] {
        let start = s.off as usize;
        self.bytes.get(start..start + s.len as usize).unwrap_or_default()
    }

    // -----------------------------------------------------------------
    // Navigation

    /// Go back to before the first value (of the narrowed view, if any).
    pub fn rewind(&mut self) {
        self.parent = self.base_parent;
        self.current = self.base_current;
    }

    /// Move to the next sibling; false (and no move) if there is none.
    #[allow(clippy::should_implement_trait)] // proton's name; not an iterator
    pub fn next(&mut self) -> bool {
        let next = if self.current != 0 { self.node(self.current).next } else { self.node(self.parent).down };
        if next != 0 {
            self.current = next;
            true
        } else {
            false
        }
    }

    /// Move to the previous sibling; false (and no move) if there is none.
    pub fn prev(&mut self) -> bool {
        let prev = if self.current != 0 { self.node(self.current).prev } else { 0 };
        if prev != 0 {
            self.current = prev;
            true
        } else {
            false
        }
    }

    /// Make the current node the parent, positioned before its first
    /// child. Like proton, works on any node (a scalar gets children that
    /// print and encode after it); false when there is no current node.
    pub fn enter(&mut self) -> bool {
        if self.current != 0 {
            self.parent = self.current;
            self.current = 0;
            true
        } else {
            false
        }
    }

    /// Make the parent current again; false at the top level.
    pub fn exit(&mut self) -> bool {
        if self.parent != 0 {
            self.current = self.parent;
            self.parent = self.node(self.current).parent;
            true
        } else {
            false
        }
    }

    /// Make `rewind` return to the present position (`pn_data_narrow`).
    pub fn narrow(&mut self) {
        self.base_parent = self.parent;
        self.base_current = self.current;
    }

    /// Undo [`narrow`](Self::narrow).
    pub fn widen(&mut self) {
        self.base_parent = 0;
        self.base_current = 0;
    }

    /// The position, for [`restore`](Self::restore): the current node's
    /// id, or minus the parent's id when there is no current node.
    pub fn point(&self) -> isize {
        if self.current != 0 { self.current as isize } else { -(self.parent as isize) }
    }

    /// Go back to a position from [`point`](Self::point); false (and no
    /// move) if it names no node.
    pub fn restore(&mut self, point: isize) -> bool {
        let id = point.unsigned_abs();
        if id > self.size() {
            return false;
        }
        if point > 0 {
            self.current = id as u32;
            self.parent = self.node(self.current).parent;
        } else {
            self.parent = id as u32;
            self.current = 0;
        }
        true
    }

    /// Type of the current node; `None` when there is none.
    pub fn type_of(&self) -> Option<Type> {
        (self.current != 0).then(|| self.node(self.current).value.type_of())
    }

    /// The current node's id (0 for none) and parent's id: for dumps.
    pub fn position(&self) -> (u32, u32) {
        (self.current, self.parent)
    }

    /// In a map, move past the key equal to `name` (a string or symbol)
    /// to its value; false when no key matches (`pn_data_lookup`).
    pub fn lookup(&mut self, name: &[u8]) -> bool {
        while self.next() {
            if let Value::String(s) | Value::Symbol(s) = self.node(self.current).value {
                if self.span(s) == name {
                    return self.next();
                }
            }
            self.next();
        }
        false
    }

    // -----------------------------------------------------------------
    // Adding values

    /// Save what adding one value (with its descendants) can change.
    pub(crate) fn checkpoint(&self) -> Checkpoint {
        let target = if self.current != 0 { self.node(self.current).next } else { self.node(self.parent).down };
        let save = |id: u32| (id, *self.node(id));
        Checkpoint {
            nodes_len: self.nodes.len(),
            bytes_len: self.bytes.len(),
            parent: self.parent,
            current: self.current,
            saved: [save(self.current), save(self.parent), save(target)],
        }
    }

    /// Undo everything since `cp` was taken (for a failed decode).
    pub(crate) fn rollback(&mut self, cp: Checkpoint) {
        self.nodes.truncate(cp.nodes_len);
        self.bytes.truncate(cp.bytes_len);
        for (id, node) in cp.saved {
            if (id as usize) < self.nodes.len() {
                self.nodes[id as usize] = node;
            }
        }
        self.parent = cp.parent;
        self.current = cp.current;
    }

    /// The node a put writes: the one after the current node, created if
    /// there is none. It becomes current, with its children dropped.
    #[inline(always)]
    pub(crate) fn add(&mut self, value: Value) -> Result<u32, CodecError> {
        let (parent, current) = (self.parent, self.current);
        let reuse = if current != 0 { self.node(current).next } else { self.node(parent).down };
        let id = if reuse != 0 {
            let n = self.node_mut(reuse);
            n.value = value;
            n.down = 0;
            n.children = 0;
            reuse
        } else {
            let id = self.nodes.len();
            if id >= u32::MAX as usize {
                return Err(CodecError::TooLarge);
            }
            let id = id as u32;
            // Built in place: a Node passed through memory would be read back
            // with wide loads right after narrow stores (a stall per put).
            self.nodes.push(Node { value, prev: current, parent, next: 0, down: 0, children: 0 });
            if current != 0 {
                self.node_mut(current).next = id;
            }
            let p = self.node_mut(parent);
            if p.down == 0 {
                p.down = id;
            }
            p.children += 1;
            id
        };
        self.current = id;
        Ok(id)
    }

    /// Copy bytes into the tree's buffer.
    #[inline(always)]
    pub(crate) fn intern(&mut self, bytes: &[u8]) -> Result<Span, CodecError> {
        let off = u32::try_from(self.bytes.len()).map_err(|_| CodecError::TooLarge)?;
        let len = u32::try_from(bytes.len()).map_err(|_| CodecError::TooLarge)?;
        if off.checked_add(len).is_none() {
            return Err(CodecError::TooLarge);
        }
        self.bytes.extend_from_slice(bytes);
        Ok(Span { off, len })
    }

    pub fn put_null(&mut self) -> Result<(), CodecError> {
        self.add(Value::Null).map(drop)
    }
    pub fn put_bool(&mut self, v: bool) -> Result<(), CodecError> {
        self.add(Value::Bool(v)).map(drop)
    }
    pub fn put_ubyte(&mut self, v: u8) -> Result<(), CodecError> {
        self.add(Value::Ubyte(v)).map(drop)
    }
    pub fn put_byte(&mut self, v: i8) -> Result<(), CodecError> {
        self.add(Value::Byte(v)).map(drop)
    }
    pub fn put_ushort(&mut self, v: u16) -> Result<(), CodecError> {
        self.add(Value::Ushort(v)).map(drop)
    }
    pub fn put_short(&mut self, v: i16) -> Result<(), CodecError> {
        self.add(Value::Short(v)).map(drop)
    }
    pub fn put_uint(&mut self, v: u32) -> Result<(), CodecError> {
        self.add(Value::Uint(v)).map(drop)
    }
    pub fn put_int(&mut self, v: i32) -> Result<(), CodecError> {
        self.add(Value::Int(v)).map(drop)
    }
    pub fn put_char(&mut self, v: u32) -> Result<(), CodecError> {
        self.add(Value::Char(v)).map(drop)
    }
    pub fn put_ulong(&mut self, v: u64) -> Result<(), CodecError> {
        self.add(Value::Ulong(v)).map(drop)
    }
    pub fn put_long(&mut self, v: i64) -> Result<(), CodecError> {
        self.add(Value::Long(v)).map(drop)
    }
    pub fn put_timestamp(&mut self, v: i64) -> Result<(), CodecError> {
        self.add(Value::Timestamp(v)).map(drop)
    }
    pub fn put_float(&mut self, v: f32) -> Result<(), CodecError> {
        self.add(Value::Float(v)).map(drop)
    }
    pub fn put_double(&mut self, v: f64) -> Result<(), CodecError> {
        self.add(Value::Double(v)).map(drop)
    }
    pub fn put_decimal32(&mut self, v: u32) -> Result<(), CodecError> {
        self.add(Value::Decimal32(v)).map(drop)
    }
    pub fn put_decimal64(&mut self, v: u64) -> Result<(), CodecError> {
        self.add(Value::Decimal64(v)).map(drop)
    }
    pub fn put_decimal128(&mut self, v: [u8; 16]) -> Result<(), CodecError> {
        self.add(Value::Decimal128(v)).map(drop)
    }
    pub fn put_uuid(&mut self, v: [u8; 16]) -> Result<(), CodecError> {
        self.add(Value::Uuid(v)).map(drop)
    }
    /// Put a binary; the bytes are copied.
    pub fn put_binary(&mut self, v: &[u8]) -> Result<(), CodecError> {
        let s = self.intern(v)?;
        self.add(Value::Binary(s)).map(drop)
    }
    /// Put a string (UTF-8, not checked); the bytes are copied.
    pub fn put_string(&mut self, v: &[u8]) -> Result<(), CodecError> {
        let s = self.intern(v)?;
        self.add(Value::String(s)).map(drop)
    }
    /// Put a symbol (ASCII, not checked); the bytes are copied.
    pub fn put_symbol(&mut self, v: &[u8]) -> Result<(), CodecError> {
        let s = self.intern(v)?;
        self.add(Value::Symbol(s)).map(drop)
    }
    /// Put an empty list; `enter` to add its elements.
    pub fn put_list(&mut self) -> Result<(), CodecError> {
        self.add(Value::List).map(drop)
    }
    /// Put an empty map; `enter` to add keys and values, alternating.
    pub fn put_map(&mut self) -> Result<(), CodecError> {
        self.add(Value::Map).map(drop)
    }
    /// Put a described value; `enter` to add the descriptor and the value.
    pub fn put_described(&mut self) -> Result<(), CodecError> {
        self.add(Value::Described).map(drop)
    }
    /// Put an empty array of elements of type `ty` (a proton type number;
    /// kept as given, like proton). `enter` to add the descriptor (when
    /// `described`) and the elements.
    pub fn put_array(&mut self, described: bool, ty: i32) -> Result<(), CodecError> {
        self.add(Value::Array { described, ty }).map(drop)
    }
    /// Put a scalar.
    pub fn put_atom(&mut self, atom: Atom<'_>) -> Result<(), CodecError> {
        let v = match atom {
            Atom::Null => Value::Null,
            Atom::Bool(v) => Value::Bool(v),
            Atom::Ubyte(v) => Value::Ubyte(v),
            Atom::Byte(v) => Value::Byte(v),
            Atom::Ushort(v) => Value::Ushort(v),
            Atom::Short(v) => Value::Short(v),
            Atom::Uint(v) => Value::Uint(v),
            Atom::Int(v) => Value::Int(v),
            Atom::Char(v) => Value::Char(v),
            Atom::Ulong(v) => Value::Ulong(v),
            Atom::Long(v) => Value::Long(v),
            Atom::Timestamp(v) => Value::Timestamp(v),
            Atom::Float(v) => Value::Float(v),
            Atom::Double(v) => Value::Double(v),
            Atom::Decimal32(v) => Value::Decimal32(v),
            Atom::Decimal64(v) => Value::Decimal64(v),
            Atom::Decimal128(v) => Value::Decimal128(v),
            Atom::Uuid(v) => Value::Uuid(v),
            Atom::Binary(b) => Value::Binary(self.intern(b)?),
            Atom::String(b) => Value::String(self.intern(b)?),
            Atom::Symbol(b) => Value::Symbol(self.intern(b)?),
        };
        self.add(v).map(drop)
    }

    // -----------------------------------------------------------------
    // Reading the current node. Like proton, a getter of the wrong type
    // returns zero / empty.

    #[inline]
    fn cur(&self) -> Option<&Value> {
        (self.current != 0).then(|| &self.node(self.current).value)
    }

    /// The current node as a scalar; `None` for no node or a compound.
    /// The bytes borrow the tree.
    pub fn atom(&self) -> Option<Atom<'_>> {
        Some(match *self.cur()? {
            Value::Null => Atom::Null,
            Value::Bool(v) => Atom::Bool(v),
            Value::Ubyte(v) => Atom::Ubyte(v),
            Value::Byte(v) => Atom::Byte(v),
            Value::Ushort(v) => Atom::Ushort(v),
            Value::Short(v) => Atom::Short(v),
            Value::Uint(v) => Atom::Uint(v),
            Value::Int(v) => Atom::Int(v),
            Value::Char(v) => Atom::Char(v),
            Value::Ulong(v) => Atom::Ulong(v),
            Value::Long(v) => Atom::Long(v),
            Value::Timestamp(v) => Atom::Timestamp(v),
            Value::Float(v) => Atom::Float(v),
            Value::Double(v) => Atom::Double(v),
            Value::Decimal32(v) => Atom::Decimal32(v),
            Value::Decimal64(v) => Atom::Decimal64(v),
            Value::Decimal128(v) => Atom::Decimal128(v),
            Value::Uuid(v) => Atom::Uuid(v),
            Value::Binary(s) => Atom::Binary(self.span(s)),
            Value::String(s) => Atom::String(self.span(s)),
            Value::Symbol(s) => Atom::Symbol(self.span(s)),
            Value::Described | Value::Array { .. } | Value::List | Value::Map => return None,
        })
    }

    pub fn is_null(&self) -> bool {
        matches!(self.cur(), Some(Value::Null))
    }
    pub fn is_described(&self) -> bool {
        matches!(self.cur(), Some(Value::Described))
    }
    pub fn get_bool(&self) -> bool {
        matches!(self.cur(), Some(Value::Bool(true)))
    }
    pub fn get_ubyte(&self) -> u8 {
        if let Some(Value::Ubyte(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_byte(&self) -> i8 {
        if let Some(Value::Byte(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_ushort(&self) -> u16 {
        if let Some(Value::Ushort(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_short(&self) -> i16 {
        if let Some(Value::Short(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_uint(&self) -> u32 {
        if let Some(Value::Uint(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_int(&self) -> i32 {
        if let Some(Value::Int(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_char(&self) -> u32 {
        if let Some(Value::Char(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_ulong(&self) -> u64 {
        if let Some(Value::Ulong(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_long(&self) -> i64 {
        if let Some(Value::Long(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_timestamp(&self) -> i64 {
        if let Some(Value::Timestamp(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_float(&self) -> f32 {
        if let Some(Value::Float(v)) = self.cur() { *v } else { 0.0 }
    }
    pub fn get_double(&self) -> f64 {
        if let Some(Value::Double(v)) = self.cur() { *v } else { 0.0 }
    }
    pub fn get_decimal32(&self) -> u32 {
        if let Some(Value::Decimal32(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_decimal64(&self) -> u64 {
        if let Some(Value::Decimal64(v)) = self.cur() { *v } else { 0 }
    }
    pub fn get_decimal128(&self) -> [u8; 16] {
        if let Some(Value::Decimal128(v)) = self.cur() { *v } else { [0; 16] }
    }
    pub fn get_uuid(&self) -> [u8; 16] {
        if let Some(Value::Uuid(v)) = self.cur() { *v } else { [0; 16] }
    }
    /// The binary's bytes, `None` when the current node is no binary.
    pub fn get_binary(&self) -> Option<&[u8]> {
        if let Some(Value::Binary(s)) = self.cur() { Some(self.span(*s)) } else { None }
    }
    /// The string's bytes, `None` when the current node is no string.
    pub fn get_string(&self) -> Option<&[u8]> {
        if let Some(Value::String(s)) = self.cur() { Some(self.span(*s)) } else { None }
    }
    /// The symbol's bytes, `None` when the current node is no symbol.
    pub fn get_symbol(&self) -> Option<&[u8]> {
        if let Some(Value::Symbol(s)) = self.cur() { Some(self.span(*s)) } else { None }
    }
    /// The bytes of a binary, string or symbol.
    pub fn get_bytes(&self) -> Option<&[u8]> {
        match self.cur() {
            Some(Value::Binary(s) | Value::String(s) | Value::Symbol(s)) => Some(self.span(*s)),
            _ => None,
        }
    }
    /// Number of elements of the current list (0 if it is none).
    pub fn get_list(&self) -> usize {
        match self.cur() {
            Some(Value::List) => self.node(self.current).children as usize,
            _ => 0,
        }
    }
    /// Number of keys plus values of the current map (0 if it is none).
    pub fn get_map(&self) -> usize {
        match self.cur() {
            Some(Value::Map) => self.node(self.current).children as usize,
            _ => 0,
        }
    }
    /// Number of elements of the current array, not counting the
    /// descriptor (0 if it is none). Like proton, an empty described
    /// array (no descriptor yet) answers `usize::MAX`.
    pub fn get_array(&self) -> usize {
        match self.cur() {
            Some(Value::Array { described, .. }) => {
                (self.node(self.current).children as usize).wrapping_sub(*described as usize)
            }
            _ => 0,
        }
    }
    pub fn is_array_described(&self) -> bool {
        matches!(self.cur(), Some(Value::Array { described: true, .. }))
    }
    /// The element type number of the current array (`None` if it is no
    /// array; proton's -1).
    pub fn get_array_type(&self) -> Option<i32> {
        match self.cur() {
            Some(Value::Array { ty, .. }) => Some(*ty),
            _ => None,
        }
    }

    // -----------------------------------------------------------------
    // Copying

    /// Replace the contents with a copy of `src`'s values (`pn_data_copy`).
    pub fn copy_from(&mut self, src: &Data) -> Result<(), CodecError> {
        self.clear();
        self.append(src)
    }

    /// Append copies of all of `src`'s values (`pn_data_append`).
    pub fn append(&mut self, src: &Data) -> Result<(), CodecError> {
        self.appendn(src, usize::MAX)
    }

    /// Put copies of up to `limit` values of `src` (with their
    /// descendants) after the current node. `src`'s values are those after
    /// its rewound position (so a narrowed `src` gives the values from its
    /// narrowed position on).
    pub fn appendn(&mut self, src: &Data, limit: usize) -> Result<(), CodecError> {
        let first =
            if src.base_current != 0 { src.node(src.base_current).next } else { src.node(src.base_parent).down };
        let mut top = first;
        let mut count = 0;
        while top != 0 && count < limit {
            self.copy_subtree(src, top)?;
            count += 1;
            top = src.node(top).next;
        }
        Ok(())
    }

    /// Put a copy of `src`'s node `root` and its descendants (iteratively).
    fn copy_subtree(&mut self, src: &Data, root: u32) -> Result<(), CodecError> {
        let mut id = root;
        loop {
            let n = *src.node(id);
            let value = match n.value {
                Value::Binary(s) => Value::Binary(self.intern(src.span(s))?),
                Value::String(s) => Value::String(self.intern(src.span(s))?),
                Value::Symbol(s) => Value::Symbol(self.intern(src.span(s))?),
                v => v,
            };
            self.add(value)?;
            if n.down != 0 {
                self.enter();
                id = n.down;
                continue;
            }
            // Climb until a node with a next sibling, stopping at root.
            let mut at = id;
            loop {
                if at == root {
                    return Ok(());
                }
                let next = src.node(at).next;
                if next != 0 {
                    id = next;
                    break;
                }
                at = src.node(at).parent;
                self.exit();
            }
        }
    }

    // -----------------------------------------------------------------
    // For pn_data_fill / pn_data_scan.

    /// The parent's type (`None` at the top level) and child count.
    pub fn parent_info(&self) -> (Option<Type>, usize) {
        if self.parent == 0 {
            (None, self.node(0).children as usize)
        } else {
            let p = self.node(self.parent);
            (Some(p.value.type_of()), p.children as usize)
        }
    }

    /// Forget the current node's children (they stay allocated, as after an
    /// overwrite).
    pub fn drop_children(&mut self) {
        if self.current != 0 {
            let n = self.node_mut(self.current);
            n.down = 0;
            n.children = 0;
        }
    }

    /// Set the element type of the parent, which must be an array (fill's
    /// `T` code); false if it is not.
    pub fn set_parent_array_type(&mut self, ty: i32) -> bool {
        if self.parent == 0 {
            return false;
        }
        match &mut self.node_mut(self.parent).value {
            Value::Array { ty: t, .. } => {
                *t = ty;
                true
            }
            _ => false,
        }
    }

    /// Type of the node `next` would move to, without moving. Like
    /// proton's scanner, `None` at the top level before the first node.
    pub fn peek_type(&self) -> Option<Type> {
        let id = if self.current != 0 {
            self.node(self.current).next
        } else if self.parent != 0 {
            self.node(self.parent).down
        } else {
            0
        };
        (id != 0).then(|| self.node(id).value.type_of())
    }

    // -----------------------------------------------------------------
    // Traversal helpers for the encoder and printer.

    /// Id of the first top-level node (0 when empty).
    #[inline]
    pub(crate) fn first(&self) -> u32 {
        self.nodes[0].down
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Data {
        // 1, [2, "abc"], {}
        let mut d = Data::new();
        d.put_int(1).unwrap();
        d.put_list().unwrap();
        d.enter();
        d.put_int(2).unwrap();
        d.put_string(b"abc").unwrap();
        d.exit();
        d.put_map().unwrap();
        d
    }

    #[test]
    fn navigation_matches_proton() {
        // Sequence and results observed with proton-c (tests/c/probes/nav.c).
        let mut d = sample();
        assert_eq!(d.size(), 5);
        assert_eq!(d.position(), (5, 0));
        d.rewind();
        assert_eq!(d.type_of(), None);
        assert!(d.next());
        assert_eq!(d.type_of(), Some(Type::Int));
        assert!(!d.prev());
        assert!(d.enter(), "proton enters scalars too");
        assert!(!d.next());
        assert!(!d.enter());
        assert!(d.exit());
        assert_eq!(d.type_of(), Some(Type::Int));
        assert!(d.next());
        assert_eq!(d.type_of(), Some(Type::List));
        assert_eq!(d.point(), 2);
        assert!(d.enter());
        assert_eq!(d.point(), -2);
        assert!(d.next());
        assert_eq!(d.get_int(), 2);
        assert!(d.next());
        assert_eq!(d.get_string(), Some(&b"abc"[..]));
        assert!(!d.next());
        assert!(d.prev());
        assert_eq!(d.point(), 3);
        assert!(d.exit());
        assert!(d.next());
        assert_eq!(d.type_of(), Some(Type::Map));
        assert!(!d.exit());
        assert!(d.restore(4));
        assert_eq!(d.position(), (4, 2));
        assert!(d.restore(-2));
        assert_eq!(d.position(), (0, 2));
        assert!(d.restore(0));
        assert_eq!(d.position(), (0, 0));
        assert!(!d.restore(6));
        assert!(!d.restore(-6));
        assert_eq!(d.position(), (0, 0));
    }

    #[test]
    fn put_overwrites_the_next_node() {
        let mut d = sample();
        d.rewind();
        d.put_int(99).unwrap(); // overwrites node 1
        assert_eq!(d.position(), (1, 0));
        d.put_int(77).unwrap(); // overwrites the list (its children orphaned)
        assert_eq!(d.position(), (2, 0));
        assert_eq!(d.size(), 5);
        assert_eq!(d.format(), b"99, 77, {}");
        assert!(d.next());
        d.put_list().unwrap();
        assert_eq!(d.position(), (6, 0));
        assert_eq!(d.size(), 6);
        assert_eq!(d.format(), b"99, 77, {}, []");
    }

    #[test]
    fn narrow_changes_only_rewind() {
        let mut d = Data::new();
        d.put_int(1).unwrap();
        d.put_list().unwrap();
        d.enter();
        d.put_int(2).unwrap();
        d.put_int(3).unwrap();
        d.exit();
        d.put_int(4).unwrap();
        d.rewind();
        d.next();
        d.next();
        d.enter();
        d.next();
        d.narrow();
        d.rewind();
        assert_eq!(d.position(), (3, 2));
        assert!(d.next());
        assert!(!d.next());
        assert!(d.exit());
        assert_eq!(d.position(), (2, 0));
        d.widen();
        d.rewind();
        assert_eq!(d.position(), (0, 0));
    }

    #[test]
    fn getters_of_the_wrong_type_give_zero() {
        let mut d = Data::new();
        assert_eq!(d.get_int(), 0);
        assert_eq!(d.atom(), None);
        d.put_ubyte(200).unwrap();
        assert_eq!(d.get_ubyte(), 200);
        assert_eq!(d.get_int(), 0);
        assert_eq!(d.get_bytes(), None);
        d.put_array(true, Type::String as i32).unwrap();
        assert_eq!(d.get_array(), usize::MAX, "proton's count of an empty described array");
        assert_eq!(d.get_array_type(), Some(20));
        d.enter();
        d.put_symbol(b"d").unwrap();
        d.put_string(b"x").unwrap();
        d.exit();
        assert_eq!(d.get_array(), 1);
        assert!(d.is_array_described());
        assert_eq!(d.get_list(), 0);
    }

    #[test]
    fn lookup_finds_map_values() {
        let mut d = Data::new();
        d.put_map().unwrap();
        d.enter();
        d.put_symbol(b"a").unwrap();
        d.put_int(1).unwrap();
        d.put_string(b"b").unwrap();
        d.put_int(2).unwrap();
        d.exit();
        d.rewind();
        d.next();
        d.enter();
        assert!(d.lookup(b"b"));
        assert_eq!(d.get_int(), 2);
        d.rewind();
        d.next();
        d.enter();
        assert!(!d.lookup(b"c"));
    }

    #[test]
    fn copy_and_append() {
        let src = sample();
        let mut d = Data::new();
        d.put_symbol(b"x").unwrap();
        d.append(&src).unwrap();
        assert_eq!(d.format(), b":x, 1, [2, \"abc\"], {}");
        let mut e = Data::new();
        e.appendn(&src, 2).unwrap();
        assert_eq!(e.format(), b"1, [2, \"abc\"]");
        e.copy_from(&src).unwrap();
        assert_eq!(e.format(), src.format());
        // A narrowed source gives the values after its narrowed position.
        let mut n = sample();
        n.rewind();
        n.next();
        n.narrow();
        let mut f = Data::new();
        f.appendn(&n, 1).unwrap();
        assert_eq!(f.format(), b"[2, \"abc\"]");
    }

    #[test]
    fn deep_trees_copy_without_recursion() {
        let mut d = Data::new();
        for _ in 0..100_000 {
            d.put_list().unwrap();
            d.enter();
        }
        d.put_int(7).unwrap();
        let mut e = Data::new();
        e.append(&d).unwrap();
        assert_eq!(e.size(), d.size());
        let mut a = Vec::new();
        let mut b = Vec::new();
        d.encode(&mut a).unwrap();
        e.encode(&mut b).unwrap();
        assert_eq!(a, b);
    }
}
