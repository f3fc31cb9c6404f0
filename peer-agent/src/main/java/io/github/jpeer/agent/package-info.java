/**
 * The ICE agent: RFC 8445 (ICE), RFC 8838 (trickle), RFC 7675 (consent freshness), and a TURN
 * client (RFC 8656). A sans-IO state machine: datagrams and time in, datagrams and events out.
 *
 * <p>Entry point: {@link io.github.jpeer.agent.IceAgent}, configured by {@link
 * io.github.jpeer.agent.IceConfig}. It gathers host candidates from the socket addresses the caller
 * owns, server-reflexive ones from STUN servers (RFC 8489 Binding) and relayed ones from TURN
 * servers over UDP (Allocate with long-term credentials, CreatePermission, ChannelBind, Send/Data
 * indications, ChannelData, Refresh, deallocation). It pairs, orders (RFC 8445 section 6.1.2.3),
 * paces (Ta) and retransmits connectivity checks, learns peer-reflexive candidates, resolves role
 * conflicts, nominates (regular or aggressive) and, once a pair is selected, keeps checking
 * consent. A remote {@code .local} candidate (mDNS) waits while the agent asks its driver for the
 * name ({@link io.github.jpeer.agent.IceEvent.MdnsQuery}, answered with {@link
 * io.github.jpeer.agent.IceAgent#resolveMdns}).
 *
 * <p>Every received datagram gets an RFC 7983 demultiplexing decision ({@link
 * io.github.jpeer.agent.Received}): STUN/TURN for the agent, or application data (DTLS, SRTP) with
 * the pair it came on. Bad input is dropped and counted ({@link io.github.jpeer.agent.IceStats}),
 * never thrown.
 *
 * <p>Related RFCs: 8445, 8838, 7675, 8656, 8489, 8421 (IPv6 preference), 5952 (IPv6 text), 7983,
 * 8839 (candidate attribute syntax).
 */
package io.github.jpeer.agent;
