using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Hosting;

/// <summary>
/// Every request body is counted as it arrives and refused with 413 one byte past its endpoint's limit: the limit an
/// endpoint declares (<see cref="WithBodyLimit{TBuilder}"/>), else <see cref="RequestLimitsOptions.BodyBytes"/>.
/// Content-Length is only a shortcut for refusing early; a chunked body, or one behind the Functions host's proxy, is
/// stopped by the count. Kestrel's own limit is set to the same number (it also counts chunked bodies), but not relied on.
/// </summary>
public static class BoundedBody
{
    /// <summary>Declares this endpoint's body limit; Kestrel and the counter both apply it.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimitAttribute(bytes));

    /// <summary>Counts every request's body; after routing (the endpoint decides the limit) and inside the exception handler (which writes the 413).</summary>
    public static IApplicationBuilder UseBoundedBodies(this IApplicationBuilder app) => app.Use(static (context, next) => CountAsync(context, next));

    /// <summary>
    /// The whole body in memory (positioned at 0), or a <see cref="BodyTooLargeException"/> (413) once it passes the
    /// endpoint's limit — counted by <see cref="UseBoundedBodies"/>, which wrapped the body before any handler ran.
    /// </summary>
    public static async Task<MemoryStream> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _ = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()
            ?? throw new InvalidOperationException($"{context.Request.Path} declares no body limit; read whole bodies only within one.");
        var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>The limit that applies to this request's body: the endpoint's own, else the default; null when the endpoint disabled limits.</summary>
    public static long? LimitOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } declared
            ? declared.MaxRequestBodySize
            : context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.BodyBytes;
    }

    private static async Task CountAsync(HttpContext context, RequestDelegate next)
    {
        if (LimitOf(context) is not { } limit)
        {
            await next(context);
            return;
        }

        // Kestrel refuses past this too (routing already set it for endpoints that declare one; this covers the rest).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrel)
        {
            kestrel.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var original = context.Request.Body;
        var counted = new CountingStream(original, limit);
        context.Request.Body = counted;
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && exception is not BodyTooLargeException && (counted.Exceeded || CausedByTooLarge(exception)))
        {
            // Antiforgery reads the form first and reports any failure as a stale page (400); Kestrel's own refusal names no limit.
            throw new BodyTooLargeException(limit, exception);
        }
        finally
        {
            context.Request.Body = original;
        }

        // Whoever read the body may have turned the refusal into a 400 or nothing (the JSON binder does): it is still a 413.
        if (counted.Exceeded && !context.Response.HasStarted)
        {
            throw TooLarge(limit);
        }
    }

    private static BodyTooLargeException TooLarge(long limit) => new(limit);

    /// <summary>Kestrel's own limit may trip first, wrapped by whoever was reading.</summary>
    private static bool CausedByTooLarge(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the body no further than one byte past the limit, which is how it knows the limit was passed.</summary>
    private sealed class CountingStream(Stream inner, long limit) : Stream
    {
        private long _total;

        public bool Exceeded => _total > limit;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _total; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ThrowIfExceeded();
            var wanted = (int)Math.Min(buffer.Length, limit + 1 - _total);
            var read = await inner.ReadAsync(buffer[..wanted], cancellationToken);
            _total += read;
            ThrowIfExceeded();
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            ThrowIfExceeded();
            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, limit + 1 - _total)]);
            _total += read;
            ThrowIfExceeded();
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private void ThrowIfExceeded()
        {
            if (Exceeded)
            {
                throw TooLarge(limit);
            }
        }
    }
}

/// <summary>A request body past its endpoint's limit: 413, with the limit for the answer to name.</summary>
public sealed class BodyTooLargeException : BadHttpRequestException
{
    public BodyTooLargeException(long limit)
        : base(Describe(limit), StatusCodes.Status413PayloadTooLarge) => Limit = limit;

    public BodyTooLargeException(long limit, Exception cause)
        : base(Describe(limit), StatusCodes.Status413PayloadTooLarge, cause) => Limit = limit;

    public long Limit { get; }

    private static string Describe(long limit) => $"The request body is larger than {limit} bytes, this endpoint's limit.";
}
