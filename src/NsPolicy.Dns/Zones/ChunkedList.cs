// A growable list of small structs kept in fixed-size blocks, for the zone model of very large
// zones: growing never copies what is already stored and never leaves a discarded array twice the
// size behind, so the peak memory of loading a zone stays close to what the model keeps.
namespace NsPolicy.Dns.Zones;

internal sealed class ChunkedList<T>
    where T : struct
{
    private const int BlockBits = 16;
    private const int BlockSize = 1 << BlockBits;
    private const int BlockMask = BlockSize - 1;

    private T[][] _blocks = new T[4][];

    public int Count { get; private set; }

    public ref T this[int index] => ref _blocks[index >> BlockBits][index & BlockMask];

    public void Add(in T item)
    {
        var index = Count;
        var b = index >> BlockBits;
        if (b >= _blocks.Length || _blocks[b] is not { } block || (index & BlockMask) >= block.Length)
        {
            Grow(index + 1);
        }
        else
        {
            Count = index + 1;
        }

        _blocks[index >> BlockBits][index & BlockMask] = item;
    }

    /// <summary>Makes the list at least <paramref name="count"/> long; new entries are default.</summary>
    public void Grow(int count)
    {
        if (count <= Count)
        {
            return;
        }

        var blocks = (count + BlockMask) >> BlockBits;
        if (blocks > _blocks.Length)
        {
            Array.Resize(ref _blocks, Math.Max(blocks, _blocks.Length * 2));
        }

        for (var b = Count >> BlockBits; b < blocks; b++)
        {
            // The first block starts small and doubles, so that small zones (and tests) stay small.
            var size = b == 0 ? Math.Min(BlockSize, Math.Max(count, 256)) : BlockSize;
            if (_blocks[b] is null)
            {
                _blocks[b] = new T[size];
            }
            else if (_blocks[b].Length < size)
            {
                Array.Resize(ref _blocks[b], Math.Min(BlockSize, Math.Max(size, _blocks[b].Length * 2)));
            }
        }

        Count = count;
    }

    /// <summary>The items in one array of exactly <see cref="Count"/> entries.</summary>
    public T[] ToArray()
    {
        var result = new T[Count];
        for (int start = 0, b = 0; start < Count; start += BlockSize, b++)
        {
            _blocks[b].AsSpan(0, Math.Min(BlockSize, Count - start)).CopyTo(result.AsSpan(start));
        }

        return result;
    }
}
