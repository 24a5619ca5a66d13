"""Writing to a member, conversations, blocking and reporting: only the two members involved see a conversation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from members.standing import may_take_part
from solidarityclub.pagination import page_or_404

from . import relay
from .directory import on_break
from .forms import ReportForm, WriteForm
from .models import Block, Conversation, RelayedMessage, listed_members


def _posted(request):
    return request.POST if request.method == "POST" else None


def _write(request, recipient, form):
    """Relay the form's message; a response on success, None when the form must be shown again."""
    try:
        message = relay.write(
            request.user,
            recipient,
            form.cleaned_data["body"],
            reply_to_sender=form.cleaned_data["reply_to_sender"],
            request=request,
        )
    except relay.LimitReachedError as error:
        if error.new_conversation:
            text = _(
                "You can begin at most %(count)s new conversations a day. Please try again tomorrow."
            ) % {"count": relay.NEW_CONVERSATIONS_PER_DAY}
        else:
            text = _("You have sent many messages this hour. Please wait a little before writing again.")
        form.add_error(None, text)
        return None
    except relay.NotAvailableError:
        form.add_error(
            None, _("%(name)s cannot receive messages right now.") % {"name": relay.name_of(recipient)}
        )
        return None
    # Sent, or withheld by a block: the sender sees the same either way.
    messages.success(request, _("Your message was sent to %(name)s.") % {"name": relay.name_of(recipient)})
    return redirect("members:conversation", message.conversation_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry(request, pk):
    """One member's directory entry and the form to write to them (anyone not listed is a 404)."""
    if not may_take_part(request.user):
        return on_break(request)
    member = get_object_or_404(listed_members().select_related("directory_profile"), pk=pk)
    is_self = member.pk == request.user.pk
    form = WriteForm(_posted(request))
    if (
        request.method == "POST"
        and not is_self
        and form.is_valid()
        and (response := _write(request, member, form))
    ):
        return response
    conversation = None if is_self else Conversation.objects.between(request.user, member).first()
    return render(
        request,
        "members/outreach/entry.html",
        {"member": member, "form": form, "is_self": is_self, "conversation": conversation},
        status=400 if form.errors else 200,
    )


@require_safe
@login_required
def conversations(request):
    user = request.user
    visible = Q(messages__sender=user) | Q(messages__withheld=False)
    items = (
        Conversation.objects.involving(user)
        .annotate(last_at=Max("messages__created_at", filter=visible))
        .filter(last_at__isnull=False)
        .select_related("starter", "recipient")
        .order_by("-last_at", "-pk")
    )
    page = page_or_404(request, items, 50)
    rows = [(conversation, relay.name_of(conversation.other(user))) for conversation in page.object_list]
    return render(request, "members/outreach/conversations.html", {"page": page, "rows": rows})


def _own_conversation(request, pk):
    """The conversation, if the signed-in member is in it and sees anything in it; 404 for everyone else."""
    conversation = get_object_or_404(Conversation.objects.select_related("starter", "recipient"), pk=pk)
    if not conversation.involves(request.user):
        raise Http404
    if not conversation.visible_messages(request.user).exists():
        raise Http404  # begun by someone this member blocked: it never reached them
    return conversation


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def conversation(request, pk):
    conversation = _own_conversation(request, pk)
    user = request.user
    other = conversation.other(user)
    may_write = may_take_part(user) and other.in_good_standing
    form = WriteForm(_posted(request))
    if request.method == "POST":
        if may_write and form.is_valid():
            if response := _write(request, other, form):
                return response
        elif not may_write:
            form.add_error(None, _("Writing here is closed for now."))
    context = {
        "conversation": conversation,
        "other": other,
        "other_name": relay.name_of(other),
        "thread": conversation.visible_messages(user).select_related("report"),
        "form": form,
        "may_write": may_write,
        "i_am_on_a_break": not may_take_part(user),
        "blocked": relay.is_blocked(by=user, sender=other),
    }
    return render(request, "members/outreach/conversation.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def block(request, pk):
    conversation = _own_conversation(request, pk)
    other = conversation.other(request.user)
    relay.block(request.user, other)
    messages.success(
        request,
        _("You blocked %(name)s: nothing more from them reaches you. They are not told.")
        % {"name": relay.name_of(other)},
    )
    return redirect("members:conversation", pk)


@require_POST
@login_required
def unblock(request, pk):
    conversation = _own_conversation(request, pk)
    other = conversation.other(request.user)
    relay.unblock(request.user, other)
    messages.success(request, _("You unblocked %(name)s.") % {"name": relay.name_of(other)})
    return redirect("members:conversation", pk)


@require_POST
@login_required
def unblock_member(request, block_pk):
    """From the entry settings page, where blocked members are listed."""
    block = get_object_or_404(Block, pk=block_pk, blocker=request.user)
    block.delete()
    messages.success(request, _("You unblocked %(name)s.") % {"name": relay.name_of(block.blocked)})
    return redirect("members:directory-settings")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report(request, pk, message_pk):
    """Report a message one received (never one's own): organizers get a copy of that message only."""
    conversation = _own_conversation(request, pk)
    message = get_object_or_404(
        RelayedMessage.objects.exclude(sender=request.user),
        pk=message_pk,
        conversation=conversation,
        withheld=False,
    )
    sender_name = relay.name_of(message.sender)
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        _report, created = relay.report(
            message,
            by=request.user,
            reason=form.cleaned_data["reason"],
            also_block=form.cleaned_data["also_block"],
            request=request,
        )
        if created:
            messages.success(request, _("Thank you: the organizers have the message and will look into it."))
        else:
            messages.info(request, _("This message was reported already; the organizers have it."))
        return redirect("members:conversation", pk)
    return render(
        request,
        "members/outreach/report.html",
        {"conversation": conversation, "message": message, "sender_name": sender_name, "form": form},
    )
