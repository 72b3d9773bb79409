using System.Text;
using System.Text.Json.Nodes;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.Tests.Submissions;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void MemberOrderWhitespaceAndNullsDoNotChangeTheBytes()
    {
        var first = JsonNode.Parse("""{ "b": 1, "a": { "y": "委託", "x": null, "z": [3, { "k": true, "j": false }] } }""")!;
        var second = JsonNode.Parse("""{"a":{"z":[3,{"j":false,"k":true}],"y":"委託"},"b":1}""")!;

        var bytes = CanonicalJson.Serialize(first);

        Assert.Equal(bytes, CanonicalJson.Serialize(second));
        Assert.Equal("""{"a":{"y":"委託","z":[3,{"j":false,"k":true}]},"b":1}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void MarkupInStringsIsKeptAsDataNotEscapedAway()
    {
        var node = JsonNode.Parse("""{"text":"<script>alert(\"x\")</script> & 'q'"}""")!;

        var text = Encoding.UTF8.GetString(CanonicalJson.Serialize(node));

        Assert.Equal("""{"text":"<script>alert(\"x\")</script> & 'q'"}""", text);
    }
}
