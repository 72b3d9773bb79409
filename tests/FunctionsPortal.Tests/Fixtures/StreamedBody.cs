using System.Net;
using System.Net.Http.Headers;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// A request body of unknown length (sent chunked, as a hostile client or a proxy may send it): a head, then filler
/// bytes up to a total, produced only as they are read, never buffered on the client side (the in-memory server reads
/// it as a stream, a socket gets it chunked). <see cref="BodyReadMeter"/> says how much the app read.
/// </summary>
public sealed class StreamedBody : HttpContent
{
    private readonly ReadOnlyMemory<byte> _head;
    private readonly long _totalBytes;
    private readonly byte _filler;

    public StreamedBody(ReadOnlyMemory<byte> head, long totalBytes, string mediaType, byte filler = (byte)'a')
    {
        _head = head;
        _totalBytes = totalBytes;
        _filler = filler;
        Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
    }

    /// <summary>Exactly <paramref name="whole"/>, with its length unknown to the server.</summary>
    public StreamedBody(ReadOnlyMemory<byte> whole, string mediaType)
        : this(whole, whole.Length, mediaType)
    {
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await using var produced = new ProducedStream(_head, _totalBytes, _filler);
        await produced.CopyToAsync(stream, 16 * 1024);
    }

    // The default would buffer the whole body to give a stream (which is what the in-memory server asks for).
    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new ProducedStream(_head, _totalBytes, _filler));

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    private sealed class ProducedStream(ReadOnlyMemory<byte> head, long totalBytes, byte filler) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var length = (int)Math.Min(buffer.Length, totalBytes - _position);
            for (var i = 0; i < length; i++, _position++)
            {
                buffer[i] = _position < head.Length ? head.Span[(int)_position] : filler;
            }

            return length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
