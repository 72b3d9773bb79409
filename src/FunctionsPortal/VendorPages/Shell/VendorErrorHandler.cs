using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>
/// A vendor whose form was refused before our code ran (the antiforgery token expired or is missing, the upload was
/// over the request limit) gets a page in their language saying what to do — not a JSON problem document.
/// </summary>
internal sealed class VendorErrorHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || !httpContext.Request.Path.StartsWithSegments("/v", out var rest))
        {
            return false;
        }

        var token = rest.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var (titleJa, titleEn, ja, en) = exception.InnerException is AntiforgeryValidationException
            ? ("ページの有効期限が切れました", "This page has expired",
                "このページは古くなったか、別の画面から送信されました。入力内容はまだ保存されていません。戻ってページを再読み込みし、もう一度お試しください。",
                "This page was out of date or sent from another window, so nothing was saved. Go back, reload the page and try again.")
            : bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ("ファイルが大きすぎます", "The files are too large",
                    "一度に送信されたファイルの合計が上限を超えたため、受け付けられませんでした。ファイルを分けて、1つずつ添付してください。",
                    "The files sent at once were over our limit, so nothing was taken. Please attach them one at a time.")
                : ("送信を受け付けられませんでした", "We could not take that request",
                    "送信内容を読み取れませんでした。戻ってページを再読み込みし、もう一度お試しください。",
                    "We could not read what was sent. Go back, reload the page and try again.");
        PageSecurityHeaders.Apply(httpContext.Response.Headers);
        httpContext.Response.Headers.CacheControl = "no-store";
        var view = new MessageView(VendorPageContext.For(httpContext, token), titleJa, titleEn, ja, en, token is null ? null : $"/v/{token}");
        await PageResults.Render(view, bad.StatusCode).ExecuteAsync(httpContext);
        return true;
    }
}
