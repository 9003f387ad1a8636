using EventChat.Api.Chat;

namespace EventChat.UnitTests.Chat;

public sealed class When_a_message_id_is_derived
{
    private static readonly Guid Alice = Guid.Parse("0b0c9b7e-7a4e-4b53-8a1f-4f1e7e0e1a01");
    private static readonly Guid Bob = Guid.Parse("5d6a1f3c-2b8e-4e0d-9c7b-3a2f1e0d9c02");

    [Fact]
    public void Should_give_the_same_id_for_the_same_sender_and_client_id() =>
        Assert.Equal(MessageRules.MessageIdFor(Alice, "c-1"), MessageRules.MessageIdFor(Alice, "c-1"));

    [Fact]
    public void Should_give_different_ids_to_different_senders() =>
        Assert.NotEqual(MessageRules.MessageIdFor(Alice, "c-1"), MessageRules.MessageIdFor(Bob, "c-1"));

    [Theory]
    [InlineData("c-1", "c-2")]
    [InlineData("c-1", "C-1")]
    [InlineData("c-1", "c-1 ")]
    public void Should_give_different_ids_to_different_client_ids(string first, string second) =>
        Assert.NotEqual(MessageRules.MessageIdFor(Alice, first), MessageRules.MessageIdFor(Alice, second));

    [Fact]
    public void Should_give_distinct_ids_across_many_pairs()
    {
        var ids = new HashSet<Guid>();
        foreach (var sender in new[] { Alice, Bob })
        {
            for (var i = 0; i < 500; i++)
            {
                Assert.True(ids.Add(MessageRules.MessageIdFor(sender, $"c-{i}")), $"{sender} c-{i} collided");
            }
        }
    }

    [Fact]
    public void Should_mark_the_id_as_a_custom_rfc_9562_uuid()
    {
        var id = MessageRules.MessageIdFor(Alice, "c-1");

        Assert.Equal(8, id.Version);
        Assert.InRange(id.Variant, 0x8, 0xB);
    }
}
