using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// Counts the request-body bytes the app itself read, per path (the last request's count), from the outside of its
/// pipeline: how a test sees that a refused body was not read whole. Register with
/// <c>services.AddSingleton&lt;IStartupFilter&gt;(meter)</c>.
/// </summary>
public sealed class BodyReadMeter : IStartupFilter
{
    private readonly ConcurrentDictionary<string, long> _read = new(StringComparer.Ordinal);

    public long ReadFrom(string path) => _read.TryGetValue(path, out var read) ? read : throw new InvalidOperationException($"No request to {path} was metered.");

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var original = context.Request.Body;
            var counted = new CountedStream(original);
            context.Request.Body = counted;
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                context.Request.Body = original;
                _read[context.Request.Path.Value ?? ""] = counted.BytesRead;
            }
        });
        next(app);
    };

    private sealed class CountedStream(Stream inner) : Stream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Interlocked.Add(ref _read, read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Interlocked.Add(ref _read, read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
