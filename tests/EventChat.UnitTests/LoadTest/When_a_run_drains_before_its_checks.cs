using EventChat.LoadTest.Chat;
using EventChat.LoadTest.Cli;
using EventChat.LoadTest.Common;

namespace EventChat.UnitTests.LoadTest;

/// <summary>
/// Before it reads history, a run waits for every acknowledged message to reach every member of its room. A
/// message that was stored although its sender never got the acknowledgement (the connection dropped first) is
/// delivered too, and must not stand in for an acknowledged one that is still on its way.
/// </summary>
public sealed class When_a_run_drains_before_its_checks
{
    private readonly ChatContext _context = new(
        ChatSettings.From(CommandLine.Parse(["--users", "2", "--rooms", "1"], ChatSettings.Specs("200", "20", "0", "0.5"))),
        new Metrics(),
        "run");

    [Fact]
    public void Should_wait_for_an_acknowledged_message_even_when_an_unacknowledged_one_arrived_in_its_place()
    {
        var sender = new Member(0, _context);
        var other = new Member(1, _context);
        Member[] members = [sender, other];
        sender.Acknowledge(1);
        sender.Acknowledge(2);

        // Counter 3 was stored, but its acknowledgement was lost with the connection; counter 2 is still on its way.
        foreach (var member in members)
        {
            member.Receive(seq: 1, sender: 0, counter: 1);
            member.Receive(seq: 2, sender: 0, counter: 3);
        }

        Assert.Equal(2, DeliveryDrain.Outstanding(members, _context, reference: false));

        foreach (var member in members)
        {
            member.Receive(seq: 3, sender: 0, counter: 2);
        }

        Assert.Equal(0, DeliveryDrain.Outstanding(members, _context, reference: false));
    }

    [Fact]
    public void Should_not_wait_for_a_message_the_server_rejected()
    {
        var sender = new Member(0, _context);
        Member[] members = [sender, new Member(1, _context)];
        sender.Acknowledge(1);

        Assert.Equal(2, DeliveryDrain.Outstanding(members, _context, reference: false));

        _context.Rejected.TryAdd(Member.ClientMessageId(0, 1), "blocked");
        Assert.Equal(0, DeliveryDrain.Outstanding(members, _context, reference: false));
    }

    [Fact]
    public void Should_count_a_message_caught_up_on_after_a_reconnect_as_arrived()
    {
        var sender = new Member(0, _context);
        var other = new Member(1, _context);
        Member[] members = [sender, other];
        sender.Acknowledge(1);
        sender.Receive(seq: 1, sender: 0, counter: 1);

        Assert.Equal(1, DeliveryDrain.Outstanding(members, _context, reference: false));

        other.CatchUp(seq: 1, sender: 0, counter: 1);
        Assert.Equal(0, DeliveryDrain.Outstanding(members, _context, reference: false));
    }

    private sealed class Member(int index, ChatContext context) : ChatMember(index, 0, context)
    {
        public override bool DisconnectedAtEnd => false;

        public static string ClientMessageId(int sender, long counter) => $"run-{sender}-{counter}";

        public void Acknowledge(long counter) =>
            Acked.Add(new AckedMessage(counter, ClientMessageId(Index, counter), Guid.NewGuid()));

        public void Receive(long seq, int sender, long counter) =>
            OnDelivery(0, seq, posted: true, ChatMessageText.Create(sender, counter, 0, string.Empty));

        public void CatchUp(long seq, int sender, long counter) =>
            OnRecovered(0, [(seq, true, ChatMessageText.Create(sender, counter, 0, string.Empty))]);

        public override Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task JoinAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        protected override Task<AckedMessage> SendAsync(long counter, string text, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
