using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Tests.Safety;

/// <summary>What a signed-in administrator's tools can be fed (imports, exports, receipts), and the headers on everything.</summary>
public static partial class HostileCases
{
    // ---- imports ---------------------------------------------------------------------------------------------------

    private static List<HostileCase> Imports()
    {
        var csv = new (string Name, Func<byte[]> Body)[]
        {
            ("binary garbage", () => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 256))]),
            ("an empty body", () => []),
            ("a byte-order mark alone", () => [0xEF, 0xBB, 0xBF]),
            ("the header alone", () => Utf8("id,legalNameJa,corporateNumber\n")),
            ("a formula in a name", () => Utf8("legalNameJa,corporateNumber,businessCategory\n\"=HYPERLINK(\"\"http://evil.example\"\")\",,bpo\n")),
            ("an unbalanced quote", () => Utf8("legalNameJa,corporateNumber\n\"unterminated,1234\n")),
            ("3,000 columns", () => Utf8(string.Join(',', Enumerable.Range(0, 3000).Select(i => $"c{i}")) + "\n" + string.Join(',', Enumerable.Range(0, 3000).Select(i => "x")) + "\n")),
            ("a 200,000-character field", () => Utf8("legalNameJa,corporateNumber\n" + new string('名', 200_000) + ",\n")),
            ("NUL bytes", () => Utf8("legalNameJa,corporateNumber\n株式会社\0テスト,\n")),
            ("invalid Shift_JIS", () => [.. Utf8("legalNameJa\n"), 0x81, 0x00, 0xFF, 0xFE, 0x0A]),
            ("10,000 blank lines", () => Utf8("legalNameJa\n" + string.Concat(Enumerable.Repeat("\n", 10_000)))),
        };
        var cases = csv.Select(body => Send($"vendor CSV: {body.Name}", _ => Bytes("/api/vendors/import", body.Body(), "text/csv"), roles: "Portal.Admin")).ToList();

        var xlsx = new (string Name, Func<byte[]> Body)[]
        {
            ("not a ZIP", () => Utf8("this is not a workbook")),
            ("an empty body", () => []),
            ("a ZIP without a workbook", () => Zip(("a.txt", "a"u8.ToArray()))),
            ("a workbook with broken XML", () => Zip(("[Content_Types].xml", "<Types"u8.ToArray()), ("xl/workbook.xml", "<workbook><sheets>"u8.ToArray()))),
            ("a workbook with a DTD (XXE)", () => Zip(("[Content_Types].xml", Utf8("<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Types>&x;</Types>")), ("xl/workbook.xml", Utf8("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><workbook>&x;</workbook>")))),
            ("a 50 MB entry of zeros (zip bomb)", () => Zip(("xl/sharedStrings.xml", new byte[50 * 1024 * 1024]))),
        };
        cases.AddRange(xlsx.Select(body => Send($"checklist XLSX: {body.Name}", _ => Bytes("/api/checklists/import.xlsx", body.Body(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (world, response, text, _) => Task.FromResult(text.Contains("root:", StringComparison.Ordinal) ? "a local file was read" : ClientError(world, response, text)), roles: "Portal.Admin")));

        var json = new (string Name, Func<string> Body)[]
        {
            ("5,000 levels of nesting", () => new string('[', 5000) + new string(']', 5000)),
            ("wrong types everywhere", () => """{"id":123,"version":"one","sections":"none","items":{"a":1}}"""),
            ("a truncated document", () => """{"id":"x","sections":[{"id":"""),
            ("a version beyond int", () => """{"id":"x","version":99999999999999999999}"""),
            ("a 1 MB string", () => $$"""{"id":"{{new string('x', 1_000_000)}}"}"""),
        };
        cases.AddRange(json.Select(body => Send($"checklist JSON: {body.Name}", _ => Json(HttpMethod.Post, "/api/checklists", body.Body()),
            (world, response, text, _) => Task.FromResult(ClientError(world, response, text)), roles: "Portal.Admin")));
        var chunked = new (string Name, string Path, string MediaType, string Head, long Bytes)[]
        {
            ("a vendor CSV of 11 MiB", "/api/vendors/import", "text/csv", "legalNameJa\n", 11L * 1024 * 1024),
            ("a checklist workbook of 11 MiB", "/api/checklists/import.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK", 11L * 1024 * 1024),
            // A string that never ends: the parser keeps reading until the limit stops it.
            ("a JSON body of 3 MiB", "/api/checklists", "application/json", "{\"id\":\"", 3L * 1024 * 1024),
        };
        cases.AddRange(chunked.Select(body => new HostileCase($"sent chunked: {body.Name}", async (world, cancellationToken) =>
        {
            // A client without redirect handling: the staff client's handler would buffer the body and give it a length.
            using var client = world.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            client.DefaultRequestHeaders.Add("X-Development-Staff", "hostile@our-company.example.jp; Portal.Admin");
            return await client.PostAsync(body.Path, new StreamedBody(Utf8(body.Head), body.Bytes, body.MediaType), cancellationToken);
        }, (world, response, text, _) => Task.FromResult(response.StatusCode == HttpStatusCode.RequestEntityTooLarge ? null : $"answered {(int)response.StatusCode}, not 413"), StaffAnswer: true)));
        cases.Add(Send("vendor JSON: markup as a name", _ => Json(HttpMethod.Post, "/api/vendors", new JsonObject { ["legalName"] = new JsonObject { ["ja"] = Script } }.ToJsonString()), roles: "Portal.Admin"));
        cases.Add(Send("vendor JSON: an ETag that is not one", world => Json(HttpMethod.Put, $"/api/vendors/{world.A.VendorId}", "{}").WithHeader("If-Match", "\"garbage\""), roles: "Portal.Admin"));
        return cases;
    }

    // ---- exports ---------------------------------------------------------------------------------------------------

    private static List<HostileCase> Exports()
    {
        var cases = new List<HostileCase>
        {
            Get("an encoding we do not write", _ => "/api/exports/vendors.csv?encoding=ebcdic", ClientError, roles: "Portal.Reviewer"),
            Get("a dataset that does not exist", _ => "/api/exports/secrets.csv", ClientError, roles: "Portal.Reviewer"),
            Get("a format that does not exist", _ => "/api/exports/vendors.exe", ClientError, roles: "Portal.Reviewer"),
            Get("a cycle with traversal", _ => "/api/exports/answers.csv?cycle=..%2F..%2Fx", roles: "Portal.Reviewer"),
            Get("a cycle with NUL", _ => "/api/exports/answers.xlsx?cycle=%00", roles: "Portal.Reviewer"),
            Get("a cycle of 10,000 characters", _ => "/api/exports/findings.csv?cycle=" + new string('c', 10_000), roles: "Portal.Reviewer"),
            Get("the registry's own export with an unknown encoding", _ => "/api/vendors/export.csv?encoding=utf-7", ClientError, roles: "Portal.Reviewer"),
        };
        cases.AddRange(ExportEncodings.Select(encoding => new HostileCase($"a formula and an emoji in a vendor's name, {encoding}", async (world, cancellationToken) =>
        {
            using var admin = world.Staff("Portal.Admin");
            using var created = await admin.PostAsJsonAsync("/api/vendors", FormulaVendor(), VendorJson, cancellationToken);
            created.EnsureSuccessStatusCode();
            return await admin.GetAsync($"/api/exports/vendors.csv?encoding={encoding}", cancellationToken);
        }, (world, response, body, _) => Task.FromResult(
            response.StatusCode != HttpStatusCode.OK ? $"answered {(int)response.StatusCode}"
            : body.Contains(",=HYPERLINK", StringComparison.Ordinal) || body.Contains("\"=HYPERLINK", StringComparison.Ordinal) ? "a formula was exported as a formula"
            : null), StaffAnswer: true)));
        return cases;
    }

    private static readonly JsonSerializerOptions VendorJson = new(JsonSerializerDefaults.Web);

    private static readonly string[] ExportEncodings = ["utf-8", "shift_jis"];

    /// <summary>A vendor whose name Excel would run as a formula, with a character Shift_JIS lacks.</summary>
    private static Vendor FormulaVendor() => Fakes.SampleVendors.Domestic("=HYPERLINK(\"http://evil.example\",\"🦊 株式会社\")");

    // ---- sealing and receipts --------------------------------------------------------------------------------------

    private static List<HostileCase> Sealing()
    {
        var tampering = new (string Name, Func<byte[], byte[]> Tamper)[]
        {
            ("one answer changed", receipt => Utf8(Encoding.UTF8.GetString(receipt).Replace("\"done\"", "\"not-done\"", StringComparison.Ordinal))),
            ("the signature value changed", receipt => ChangePath(receipt, ["signature", "value"], "AAAA")),
            ("the signature removed", receipt => ChangeProperty(receipt, "signature", null)),
            ("the key version changed", receipt => ChangePath(receipt, ["signature", "keyVersion"], "someone-else")),
            ("the signature replaced by a string", receipt => ChangeProperty(receipt, "signature", "AAAA")),
            ("the hash replaced by a number", receipt => ChangeProperty(receipt, "sha256", 12345)),
            ("the version a fraction", receipt => ChangePath(receipt, ["payload", "version"], 1.5)),
            ("a traversal as the assignment key", receipt => ChangePath(receipt, ["payload", "assignment", "key"], "../../x~y~z")),
            ("an evidence entry that is a number", receipt => ChangePath(receipt, ["payload", "evidence"], new JsonArray(1, "x"))),
            ("truncated", receipt => receipt[..(receipt.Length / 2)]),
            ("another assignment's key in the payload", receipt => ChangePath(receipt, ["payload", "assignment", "key"], "c0000~v0000~annual")),
        };
        var cases = tampering.Select(tamper => new HostileCase($"receipt: {tamper.Name}", async (world, cancellationToken) =>
        {
            using var staff = world.Staff("Portal.Reviewer");
            var receipt = await staff.GetByteArrayAsync($"/api/assignments/{world.Sealed.Assignment.Key}/submissions/1", cancellationToken);
            return await staff.PostAsync("/api/receipts/verify", new ByteArrayContent(tamper.Tamper(receipt)), cancellationToken);
        }, NotVerified, StaffAnswer: true)).ToList();
        var bodies = new (string Name, Func<byte[]> Body)[]
        {
            ("not JSON", () => Utf8("not json at all")),
            ("an empty body", () => []),
            ("5,000 levels of nesting", () => Utf8(new string('[', 5000) + new string(']', 5000))),
            ("a JSON number", () => Utf8("1e999999")),
            ("a forged envelope", () => Utf8("""{"payload":{"assignmentKey":"x","version":1},"signature":"AAAA","keyId":"k"}""")),
        };
        cases.AddRange(bodies.Select(body => Send($"receipt: {body.Name}", _ => Bytes("/api/receipts/verify", body.Body(), "application/json"), NotVerified, roles: "Portal.Reviewer")));
        cases.Add(Get("another vendor's receipt through A's link", world => world.A.Url("/receipts/1/download"), OpenedNothing));
        cases.Add(new HostileCase("sealing twice in parallel", async (world, cancellationToken) =>
        {
            var invited = await Fakes.SurveyScenario.InviteAsync(world.Services, cancellationToken);
            await Fakes.SurveyScenario.CompleteDraftAsync(world.Services, invited, cancellationToken);
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Fakes.SurveyScenario.SealAsync(world.Services, invited, cancellationToken)));
            using var staff = world.Staff("Portal.Reviewer");
            var versions = await staff.GetFromJsonAsync<JsonElement>($"/api/assignments/{invited.Assignment.Key}/submissions", cancellationToken);
            return new HttpResponseMessage(versions.GetArrayLength() == 1 ? HttpStatusCode.OK : HttpStatusCode.Conflict)
            {
                Content = new StringContent(versions.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Headers = { { "X-Content-Type-Options", "nosniff" } },
            };
        }, (world, response, body, _) => Task.FromResult(response.StatusCode == HttpStatusCode.OK ? null : $"{body} sealed versions from one draft"), StaffAnswer: true));
        return cases;
    }

    private static async Task<string?> NotVerified(HostileWorld world, HttpResponseMessage response, string body, CancellationToken cancellationToken)
    {
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            return null;
        }

        using var report = JsonDocument.Parse(body);
        return report.RootElement.GetProperty("valid").GetBoolean() ? "a tampered receipt verified" : null;
    }

    private static byte[] ChangePath(byte[] receipt, string[] path, JsonNode? value)
    {
        var root = JsonNode.Parse(receipt)!;
        var parent = path[..^1].Aggregate(root, (node, name) => node[name]!);
        parent[path[^1]] = value;
        return Utf8(root.ToJsonString());
    }

    private static byte[] ChangeProperty(byte[] receipt, string name, JsonNode? value)
    {
        var node = JsonNode.Parse(receipt)!.AsObject();
        if (value is null)
        {
            node.Remove(name);
        }
        else
        {
            node[name] = value;
        }

        return Utf8(node.ToJsonString());
    }

    // ---- headers and methods ---------------------------------------------------------------------------------------

    private static List<HostileCase> Headers()
    {
        var cases = new List<HostileCase>
        {
            Get("home", _ => "/"),
            Get("health", _ => "/healthz"),
            Get("a path nobody mapped", _ => "/wp-admin/install.php"),
            Get("the vendor stylesheet", _ => "/v/assets/vendor.css"),
            Get("the sign-in page", _ => "/staff/dev-sign-in"),
            Get("a vendor page is never cached and sends no referrer", world => world.A.Url(), (world, response, body) =>
                response.Headers.CacheControl?.NoStore != true ? "cacheable"
                : !response.Headers.TryGetValues("Referrer-Policy", out var policy) || !policy.Contains("no-referrer") ? "sends a referrer"
                : null),
            Get("a staff page cannot be framed", _ => "/staff", roles: "Portal.Reviewer"),
            Send("TRACE is not answered", _ => new HttpRequestMessage(HttpMethod.Trace, "/"), (world, response, body, _) => Task.FromResult(response.StatusCode == HttpStatusCode.OK ? "TRACE answered 200" : null)),
            Send("an unknown method on a vendor page", world => new HttpRequestMessage(new HttpMethod("PROPFIND"), world.A.Url()), (world, response, body, _) => Task.FromResult(ClientError(world, response, body))),
            Send("a Host header from elsewhere", world => new HttpRequestMessage(HttpMethod.Get, world.A.Url()) { Headers = { Host = "evil.example" } }, (world, response, body, _) =>
                Task.FromResult(body.Contains("evil.example", StringComparison.Ordinal) ? "the Host header was echoed into the page" : null)),
            Send("a method override header", world => new HttpRequestMessage(HttpMethod.Get, $"/api/vendors/{world.A.VendorId}") { Headers = { { "X-HTTP-Method-Override", "DELETE" } } }, roles: "Portal.Admin"),
            Send("a 16 KB cookie", world => new HttpRequestMessage(HttpMethod.Get, world.A.Url()) { Headers = { { "Cookie", "portal-lang=" + new string('x', 16 * 1024) } } }),
        };
        return cases;
    }
}

public static partial class HostileCases
{
    // ---- staff paths and queries -----------------------------------------------------------------------------------

    private static List<HostileCase> StaffInput()
    {
        var ids = new (string Name, string Id)[]
        {
            ("a hash", "%23x"), ("a question mark", "%3Fx"), ("a slash", "a%2Fb"), ("traversal", "..%2F..%2Fx"), ("a quote", "x'y"),
            ("a control character", "x%01y"), ("2,000 characters", new string('k', 2000)), ("a backslash", "x%5Cy"), ("only tildes", "~~"),
        };
        var paths = new (string Name, Func<string, string> Path)[]
        {
            ("assignment API", id => $"/api/assignments/{id}"),
            ("assignment submissions", id => $"/api/assignments/{id}/submissions"),
            ("sealed version", id => $"/api/assignments/{id}/submissions/1"),
            ("vendor API", id => $"/api/vendors/{id}"),
            ("vendor page", id => $"/staff/vendors/{id}"),
            ("assignment page", id => $"/staff/assignments/{id}"),
            ("corrective action API", id => $"/api/corrective-actions/{id}"),
            ("corrective action page", id => $"/staff/actions/{id}"),
            ("vendor report", id => $"/staff/reports/vendors/{id}"),
            ("cycle dashboard", id => $"/staff?cycle={id}"),
            ("audit of a vendor", id => $"/api/audit?vendorId={id}"),
            ("incident API", id => $"/api/incidents/{id}"),
            ("incident scope", id => $"/api/incidents/{id}/scope"),
            ("incident report draft", id => $"/api/incidents/{id}/report.xlsx"),
            ("incident timeline", id => $"/api/incidents/{id}/timeline"),
            ("incidents of a vendor", id => $"/api/incidents?vendorId={id}"),
            ("scope lookup by system", id => $"/api/vendors/scope?system={id}&vendorId={id}"),
        };
        // Assignment paths get every id (their keys reach storage as table and blob names); the others a third each, in turn.
        return [.. paths.SelectMany((path, p) => ids.Where((_, i) => i % 3 == p % 3 || path.Name.StartsWith("assignment", StringComparison.Ordinal))
            .Select(id => Get($"staff {path.Name} with {id.Name}", _ => path.Path(id.Id), roles: "Portal.Admin")))];
    }
}

internal static class HostileRequestExtensions
{
    public static HttpRequestMessage WithHeader(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}
